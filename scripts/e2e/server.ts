// One `wrangler dev` for the whole suite (fresh state folder, migrations and sample content),
// with an admin made through the editor CLI, as a person setting up the site would.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { type DevServer, startDevServer } from "../lib/dev-server.ts";
import { root } from "../lib/wrangler.ts";

export type Admin = { email: string; name: string; password: string };

export type E2EServer = { server: DevServer; admin: Admin };

export async function startE2EServer(): Promise<E2EServer> {
	// Random per run: the database is thrown away afterwards, but no fixed password is ever valid.
	const admin: Admin = {
		email: "e2e-admin@example.com",
		name: "E2E Admin",
		password: randomBytes(24).toString("base64url"),
	};
	const server = await startDevServer({
		beforeStart: (stateDir) => {
			execFileSync(
				process.execPath,
				[
					join(root, "scripts", "editor.ts"),
					"add",
					"--email",
					admin.email,
					"--name",
					admin.name,
					"--role",
					"admin",
					"--password-stdin",
					"--persist-to",
					stateDir,
				],
				{ cwd: root, input: `${admin.password}\n`, stdio: ["pipe", "ignore", "pipe"] },
			);
		},
	});
	return { server, admin };
}
