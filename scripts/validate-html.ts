// Validates the rendered HTML of every kind of reader page and every admin screen with two
// checkers, against one `wrangler dev` with the sample content: html-validate (its "standard"
// preset: structure, accessibility, style rules) on each page as it is fetched, then the Nu Html
// Checker (the W3C's validator: the HTML spec itself, URLs, CSS in <style>) on all of them, and on
// the site icons, in one Java run at the end. The admin is reached as a person would: an admin made
// with the editor CLI signs in through the login form, then pages are fetched and forms posted
// with the session cookie. Exit 1 on any error from either checker, and on any page that answers
// another status than expected (a redirect to the sign-in page would otherwise be checked in place
// of the page meant). Nu warnings are printed without failing the run.
//   node scripts/validate-html.ts   (needs `java` on PATH: Debian's default-jre-headless)
import { HtmlValidate } from "html-validate";
import { addAdminWithCli, newAdmin, signIn } from "./lib/admin.ts";
import { startDevServer } from "./lib/dev-server.ts";
import { isNuFailure, type NuDocument, type NuMessage, nuCheck } from "./lib/nu-checker.ts";

const ADMIN = newAdmin("html-check@example.com", "HTML Check");

const started = Date.now();
const server = await startDevServer({
	beforeStart: (stateDir) => addAdminWithCli(stateDir, ADMIN),
});
const { origin } = server;
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });

/** One checked document: what failed so far, and its body for the Nu checker at the end. */
type Checked = { label: string; status: number; problems: string[]; warnings: string[]; doc: NuDocument };
const checked: Checked[] = [];

/** Validates one response's body; `expected`, when given, is the status the page must have. */
async function check(label: string, res: Response, expected?: number): Promise<void> {
	const html = await res.text();
	const problems = statusProblems(res, expected, "text/html");
	const report = await validator.validateString(html, label);
	for (const result of report.results) {
		for (const m of result.messages) problems.push(`html-validate ${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
	}
	checked.push({ label, status: res.status, problems, warnings: [], doc: { body: html, kind: "html" } });
}

function statusProblems(res: Response, expected: number | undefined, type: string): string[] {
	const problems: string[] = [];
	if (expected !== undefined && res.status !== expected) {
		problems.push(
			`expected status ${expected}${res.headers.has("location") ? ` (to ${res.headers.get("location")})` : ""}`,
		);
	}
	if (expected !== undefined && !res.headers.get("content-type")?.startsWith(type)) {
		problems.push(`not ${type}: ${res.headers.get("content-type")}`);
	}
	return problems;
}

/** The site icons go through the Nu checker as SVG documents. */
async function icons(): Promise<void> {
	for (const path of ["/favicon.svg", "/favicon-admin.svg"]) {
		const res = await fetch(`${origin}${path}`);
		const problems = statusProblems(res, 200, "image/svg+xml");
		checked.push({
			label: path,
			status: res.status,
			problems,
			warnings: [],
			doc: { body: await res.text(), kind: "svg" },
		});
	}
}

const nuLine = (m: NuMessage) =>
	`nu ${m.lastLine ?? "?"}:${m.firstColumn ?? "?"} ${m.subType ?? m.type}: ${m.message}${m.extract ? ` [${m.extract.replace(/\s+/g, " ").trim()}]` : ""}`;

/**
 * hono/jsx writes void elements as `<meta …/>`, and vnu adds an informational note (type "info",
 * not a warning) to each: the slash has no effect, and after an unquoted attribute value it would
 * become part of the value. hono/jsx always quotes attribute values, so the note cannot point at a
 * real problem here: it is counted, not printed hundreds of times.
 */
const isVoidSlashNote = (m: NuMessage) =>
	m.type === "info" && m.subType === undefined && m.message.startsWith("Trailing slash on void elements");

/**
 * Runs the Nu checker once over every document checked and adds what it says to each. Returns
 * the notes it did not print, and what went wrong outside any document (Java missing, say).
 */
function nuPass(): { ran: boolean; voidSlashNotes: number; trouble: string[] } {
	let result: ReturnType<typeof nuCheck>;
	try {
		result = nuCheck(checked.map((c) => c.doc));
	} catch (error) {
		return { ran: false, voidSlashNotes: 0, trouble: [error instanceof Error ? error.message : String(error)] };
	}
	let voidSlashNotes = 0;
	checked.forEach((c, i) => {
		for (const m of result.byDocument[i] ?? []) {
			if (isNuFailure(m)) c.problems.push(nuLine(m));
			else if (isVoidSlashNote(m)) voidSlashNotes += 1;
			else c.warnings.push(nuLine(m));
		}
	});
	return { ran: true, voidSlashNotes, trouble: result.other.map(nuLine) };
}

/** Requests as the signed-in admin: the cookie on each, and on a POST the Origin the guard requires. */
function client(cookie: string) {
	const request = (path: string, form?: Record<string, string>) =>
		fetch(`${origin}${path}`, {
			method: form ? "POST" : "GET",
			headers: form ? { cookie, origin } : { cookie },
			body: form && new URLSearchParams(form),
			redirect: "manual",
		});
	return {
		get: (path: string) => request(path),
		post: (path: string, form: Record<string, string>) => request(path, form),
		async json<T>(path: string): Promise<T> {
			const res = await request(path);
			if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
			return (await res.json()) as T;
		},
		/** A form POST that must redirect (303); the page it leads to, fetched as the browser would. */
		async follow(path: string, form: Record<string, string>): Promise<{ location: string; res: Response }> {
			const posted = await request(path, form);
			const location = posted.headers.get("location");
			if (posted.status !== 303 || !location) {
				throw new Error(`POST ${path}: expected a 303, got ${posted.status} ${await posted.text()}`);
			}
			return { location, res: await request(location) };
		},
	};
}

async function readerPages(): Promise<void> {
	const api = (await (await fetch(`${origin}/api/articles?limit=50`)).json()) as {
		articles: { slug: string }[];
		nextCursor: string | null;
	};
	const first = await (await fetch(`${origin}/api/articles?limit=1`)).json();
	const cursor = (first as { nextCursor: string }).nextCursor;
	const paths = [
		"/",
		`/?cursor=${cursor}`,
		"/about",
		"/services",
		"/topics",
		"/regions",
		"/topics/policy",
		"/regions/china",
		"/corrections",
		"/authors/kenji-arakawa",
		"/authors/no-such-author",
		"/no-such-page",
		"/articles/no-such-article",
		"/?cursor=not-a-cursor",
		...api.articles.map((a) => `/articles/${a.slug}`),
	];
	for (const path of paths) await check(path, await fetch(`${origin}${path}`));
	// Search: the prompt, results (filtered too), no results, a query of FTS5 syntax, and the 400 page.
	const searches: [string, number][] = [
		["/search", 200],
		["/search?q=magnets", 200],
		["/search?q=magnets&topic=recycling&region=", 200],
		["/search?q=no-such-word-anywhere", 200],
		[`/search?q=${encodeURIComponent('"*" NEAR( -x title:')}`, 200],
		[`/search?q=${"magnets ".repeat(30)}`, 400],
	];
	for (const [path, status] of searches) {
		await check(
			path.length > 80 ? `${path.slice(0, 40)}… (${path.length} characters)` : path,
			await fetch(`${origin}${path}`),
			status,
		);
	}
}

/** A redirect's target without its query (a signed flash message: long, and different every run). */
const pathOf = (location: string) => location.split("?")[0] ?? location;

type ListedArticle = { id: number; slug: string; status: string; region: { slug: string }; topic: { slug: string } };

async function adminPages(): Promise<void> {
	await check("/admin/login (signed out)", await fetch(`${origin}/admin/login`), 200);
	const wrong = { email: ADMIN.email, password: "not-the-password-at-all", next: "/admin" };
	await check(
		"POST /admin/login (wrong password)",
		await fetch(`${origin}/admin/login`, { method: "POST", headers: { origin }, body: new URLSearchParams(wrong) }),
		401,
	);

	const admin = client(await signIn(origin, ADMIN));
	const page = async (path: string, expected = 200) => check(path, await admin.get(path), expected);

	for (const path of ["/admin", "/admin?status=draft", "/admin?status=scheduled", "/admin/articles/new"]) {
		await page(path);
	}

	// A seeded, published article: its edit page and its (empty) history.
	const { articles } = await admin.json<{ articles: ListedArticle[] }>("/api/admin/articles?status=published");
	const published = articles[0];
	if (!published) throw new Error("no published article in the sample content");
	await page(`/admin/articles/${published.id}`);
	await page(`/admin/articles/${published.id}/revisions`);
	await page("/admin/articles/999999999", 404);

	// A draft made through the form, then edited, so that it has revisions to list and compare.
	const draft = {
		title: "HTML check: a draft",
		slug: "",
		summary: "A draft made by the HTML validation.",
		bodyMarkdown: "## A heading\n\nA paragraph with a [link](https://example.com/) and *emphasis*.\n\n- one\n- two",
		region: published.region.slug,
		topic: published.topic.slug,
		publishedAt: "",
	};
	await check(
		"POST /admin/articles (empty title)",
		await admin.post("/admin/articles", { ...draft, title: "", intent: "draft" }),
		400,
	);
	await check(
		"POST /admin/articles (preview)",
		await admin.post("/admin/articles", { ...draft, intent: "preview" }),
		200,
	);
	const created = await admin.follow("/admin/articles", { ...draft, intent: "draft" });
	await check(`${pathOf(created.location)} (created, with its flash)`, created.res, 200);
	const id = /^\/admin\/articles\/(\d+)\?/.exec(created.location)?.[1];
	if (!id) throw new Error(`unexpected redirect after create: ${created.location}`);
	const edit = `/admin/articles/${id}`;
	const edited = { ...draft, summary: "A draft made, then edited, by the HTML validation." };
	await admin.follow(edit, { ...edited, version: "1", intent: "save" });
	await check(`POST ${edit} (stale version)`, await admin.post(edit, { ...draft, version: "1", intent: "save" }), 409);
	await page(`${edit}/revisions`);
	await page(`${edit}/revisions/1`);
	const trashed = await admin.follow(`${edit}/trash`, { version: "2" });
	await check(`${pathOf(trashed.location)} (in the trash, with its flash)`, trashed.res, 200);
	await page("/admin?status=trash");
	await page(`${edit}/delete`);

	const { editors } = await admin.json<{ editors: { id: number; email: string }[] }>("/api/admin/editors");
	const me = editors.find((e) => e.email === ADMIN.email);
	if (!me) throw new Error("the admin made for this check is not listed");
	for (const path of [
		"/admin/topics",
		`/admin/topics/${published.topic.slug}`,
		"/admin/regions",
		`/admin/regions/${published.region.slug}`,
		"/admin/authors",
		"/admin/authors/kenji-arakawa",
		"/admin/pages",
		"/admin/media",
		"/admin/pages/about",
		"/admin/tokens",
		"/admin/editors",
		`/admin/editors/${me.id}`,
		"/admin/audit",
		"/admin/purge",
	]) {
		await page(path);
	}
	await check("POST /admin/topics (empty fields)", await admin.post("/admin/topics", { slug: "", name: "" }), 400);
	await check(
		"POST /admin/pages/about (empty title)",
		await admin.post("/admin/pages/about", { title: "", bodyMarkdown: "" }),
		400,
	);
	await check(
		"POST /admin/tokens (token shown once)",
		await admin.post("/admin/tokens", { name: "HTML check", editorId: String(me.id) }),
		201,
	);
	await check(
		"POST /admin/purge (one article)",
		await admin.post("/admin/purge", { slugs: published.slug, intent: "slugs" }),
		200,
	);
}

try {
	await readerPages();
	await adminPages();
	await icons();
} finally {
	await server.stop();
}
const nuStarted = Date.now();
const nu = nuPass();
const nuSeconds = (Date.now() - nuStarted) / 1000;

let failures = 0;
for (const c of checked) {
	if (c.problems.length > 0) failures += 1;
	console.log(`${c.problems.length > 0 ? "FAIL" : "ok  "}  ${c.status} ${c.label}`);
	for (const problem of c.problems) console.log(`      ${problem}`);
	for (const note of c.warnings) console.log(`      (not an error) ${note}`);
}
if (nu.voidSlashNotes > 0) {
	console.log(`(${nu.voidSlashNotes} Nu notes "Trailing slash on void elements" not shown: see isVoidSlashNote)`);
}
for (const trouble of nu.trouble) console.log(`FAIL  the Nu checker: ${trouble}`);
console.log(
	`${checked.length - failures} documents valid, ${failures} invalid, by html-validate ${nu.ran ? "and the Nu checker" : "alone (the Nu checker did not run)"} ` +
		`(${((Date.now() - started) / 1000).toFixed(1)} s, of which the Nu checker ${nuSeconds.toFixed(1)} s)`,
);
process.exit(failures === 0 && nu.trouble.length === 0 ? 0 : 1);
