// Applies the sample content to a D1 database through wrangler:
//   node scripts/seed.ts --local [--persist-to DIR]    or    node scripts/seed.ts --remote
// Idempotent: safe to run on every `npm run dev`.
import { applySeed } from "./seed/apply.ts";

const args = process.argv.slice(2);
const persistIndex = args.indexOf("--persist-to");
const remote = args.includes("--remote");
try {
	applySeed(remote ? { remote: true } : { persistTo: persistIndex >= 0 ? args[persistIndex + 1] : undefined });
	console.log(`seed: sample content applied (${remote ? "remote" : "local"})`);
} catch (error) {
	console.error(`seed: ${(error as Error).message}`);
	process.exit(1);
}
