import { spawn } from "node:child_process";
import { join } from "node:path";
import { root } from "./wrangler.ts";

export type ScriptRun = { code: number | null; stdout: string; stderr: string };

/**
 * Runs `node scripts/<script> ...args` from the project root as a user would, for the CLI tests:
 * its exit code and all it printed, with `stdin` piped in (closed at once when empty).
 */
export function runScript(script: string, args: string[], stdin = ""): Promise<ScriptRun> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [join(root, "scripts", script), ...args], {
			cwd: root,
			stdio: ["pipe", "pipe", "pipe"],
		});
		let stdout = "";
		let stderr = "";
		child.stdout.on("data", (chunk) => {
			stdout += chunk;
		});
		child.stderr.on("data", (chunk) => {
			stderr += chunk;
		});
		child.on("error", reject);
		child.on("close", (code) => resolve({ code, stdout, stderr }));
		child.stdin.end(stdin);
	});
}
