// Reads GIFT on standard input with gift-pegjs and prints its questions as JSON.
const { parse } = require("gift-pegjs");
let text = "";
process.stdin.on("data", (chunk) => (text += chunk));
process.stdin.on("end", () => {
  try {
    process.stdout.write(JSON.stringify(parse(text)));
  } catch (err) {
    process.stderr.write(`${err.location ? err.location.start.line : "?"}: ${err.message}\n`);
    process.exit(1);
  }
});
