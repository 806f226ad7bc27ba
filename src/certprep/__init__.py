"""certprep: free, self-hostable preparation for the AWS machine-learning certifications."""

__version__ = "0.1.0"
__all__ = ["__version__"]
