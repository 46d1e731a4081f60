// Fetches one file with the real @huggingface/hub client (downloadFile: the bytes=0-0 probe, then the body as a
// stream) and hashes it in memory-constant chunks instead of writing it, so that many can run at once without
// filling the disk. Usage: node hub-fetch.mjs <hubUrl> <repo> <path> <accessToken|->
// Prints one JSON line: {seconds, bytes, sha256}. Used by gateway/bench/hub-resolve.sh for its parallel phases.
import { createHash } from "node:crypto";
import { downloadFile } from "@huggingface/hub";

const [hubUrl, name, path, token] = process.argv.slice(2);
const begin = process.hrtime.bigint();
const blob = await downloadFile({
  hubUrl,
  repo: { type: "model", name },
  path,
  ...(token && token !== "-" ? { accessToken: token } : {}),
});
if (blob === null) {
  console.error(`${path} not found`);
  process.exit(1);
}
const hash = createHash("sha256");
let bytes = 0;
for await (const chunk of blob.stream()) {
  hash.update(chunk);
  bytes += chunk.length;
}
const seconds = Number(process.hrtime.bigint() - begin) / 1e9;
console.log(JSON.stringify({ seconds, bytes, sha256: hash.digest("hex") }));
