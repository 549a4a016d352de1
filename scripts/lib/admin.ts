// An admin for the scripts that drive the site as people would (HTML check, browser suite, load
// test): made with the editor CLI before wrangler dev starts, then signed in through the login form.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { root } from "./wrangler.ts";

export type Admin = { email: string; name: string; password: string };

/** The session cookie's name over plain http (the scripts' wrangler dev). */
const SESSION_COOKIE = "samarium_session";

/** An admin with a random password: the database is thrown away afterwards, but no fixed password is ever valid. */
export function newAdmin(email: string, name: string): Admin {
	return { email, name, password: randomBytes(24).toString("base64url") };
}

/** Adds the admin to the local D1 in `stateDir` with `npm run editor -- add`, as a person setting up the site would. */
export function addAdminWithCli(stateDir: string, admin: Admin): void {
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
}

/** Signs in through the login form, as a browser would (with the site's own Origin); the session cookie. */
export async function signIn(origin: string, admin: Admin): Promise<string> {
	const res = await fetch(`${origin}/admin/login`, {
		method: "POST",
		headers: { origin },
		body: new URLSearchParams({ email: admin.email, password: admin.password, next: "/admin" }),
		redirect: "manual",
	});
	const cookie = res.headers
		.getSetCookie()
		.map((header) => header.split(";")[0] ?? "")
		.find((pair) => pair.startsWith(`${SESSION_COOKIE}=`) && pair.length > SESSION_COOKIE.length + 1);
	if (res.status !== 303 || !cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
	return cookie;
}
