// Applies the sample content to a D1 database through wrangler:
//   node scripts/seed.ts --local [--persist-to DIR]    or    node scripts/seed.ts --remote
// Idempotent: safe to run on every `npm run dev`.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildSeedStatements } from "./seed/build.ts";

const args = process.argv.slice(2);
const target = args.includes("--remote") ? "--remote" : "--local";
const persistIndex = args.indexOf("--persist-to");
const persist = persistIndex >= 0 ? ["--persist-to", args[persistIndex + 1] ?? ""] : [];

const dir = join(import.meta.dirname, "..", ".wrangler");
mkdirSync(dir, { recursive: true });
const file = join(dir, "seed.sql");
writeFileSync(file, `${buildSeedStatements().join("\n")}\n`);

const wrangler = join(import.meta.dirname, "..", "node_modules", ".bin", "wrangler");
const result = spawnSync(wrangler, ["d1", "execute", "DB", target, ...persist, `--file=${file}`, "--yes"], {
	stdio: ["ignore", "pipe", "pipe"],
	encoding: "utf8",
});
if (result.status !== 0) {
	process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
	console.error(`seed: wrangler d1 execute failed (exit ${result.status ?? result.signal})`);
	process.exit(1);
}
console.log(`seed: sample content applied (${target.slice(2)})`);
