// What a measurement was taken on, recorded with its results (bench, load test).
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { root } from "./wrangler.ts";

/** The commit measured, `+dirty` when the work tree has changes; null outside a git checkout. */
export function gitDescription(): string | null {
	try {
		const git = (args: string[]) =>
			execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
		const commit = git(["rev-parse", "--short", "HEAD"]);
		const dirty = git(["status", "--porcelain"]) !== "";
		return dirty ? `${commit}+dirty` : commit;
	} catch {
		return null;
	}
}

export function machineInfo() {
	return {
		cpus: cpus().length,
		cpuModel: cpus()[0]?.model.trim() ?? "unknown",
		node: process.version,
		platform: `${process.platform} ${process.arch}`,
		loadavg: loadavg().map((n) => Math.round(n * 100) / 100),
	};
}
