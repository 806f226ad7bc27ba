"""The shapes of the admin's content pages that concern packs: the packs served and refused, an
upload's import report, an upload added to the team pack (one schema per page and its twin)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ImportReportOut", "ItemNoteOut", "RefusedPackOut", "ServedPackOut", "StagedItemOut", "TeamPackAddedOut"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, from_attributes=True)


class ServedPackOut(_Out):
    id: str
    root: str


class RefusedPackOut(_Out):
    root: str
    errors: list[str] = Field(description="Each error as file:line: message.")


class ItemNoteOut(_Out):
    where: str = Field(description="The item: its name or line in the file.")
    why: str


class StagedItemOut(_Out):
    id: str
    kind: str = Field(description="question, case_study or flashcard")
    text: str


class ImportReportOut(_Out):
    """An uploaded file imported (not served yet): add it with POST .../imports/{token}/add."""

    token: str
    file_name: str
    format: str
    questions: int = Field(description="Questions ready to add (case studies' questions included).")
    flashcards: int
    items: list[StagedItemOut]
    skipped: list[ItemNoteOut] = Field(description="Kinds certprep cannot hold, with the reason.")
    problems: list[ItemNoteOut] = Field(description="Items that could not be imported, with the reason.")


class TeamPackAddedOut(_Out):
    """An upload added to the team pack and served (by this process; other workers from their next start)."""

    token: str
    team_pack: str
    questions: int
    flashcards: int
    served_questions: int = Field(description="Questions the team pack now serves.")
