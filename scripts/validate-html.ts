// Validates the rendered HTML of every kind of reader page and every admin screen with
// html-validate (its "standard" preset), against one `wrangler dev` with the sample content.
// The admin is reached as a person would: an admin made with the editor CLI signs in through the
// login form, then pages are fetched and forms posted with the session cookie. Exit 1 on any
// invalid page, and on any admin page that answers another status than expected (a redirect to
// the sign-in page would otherwise be checked in place of the page meant).
//   node scripts/validate-html.ts
import { HtmlValidate } from "html-validate";
import { addAdminWithCli, newAdmin, signIn } from "./lib/admin.ts";
import { startDevServer } from "./lib/dev-server.ts";

const ADMIN = newAdmin("html-check@example.com", "HTML Check");

const started = Date.now();
const server = await startDevServer({
	beforeStart: (stateDir) => addAdminWithCli(stateDir, ADMIN),
});
const { origin } = server;
const validator = new HtmlValidate({ extends: ["html-validate:standard"] });
let checked = 0;
let failures = 0;

/** Validates one response's body; `expected`, when given, is the status the page must have. */
async function check(label: string, res: Response, expected?: number): Promise<void> {
	checked += 1;
	const html = await res.text();
	const problems: string[] = [];
	if (expected !== undefined && res.status !== expected) {
		problems.push(
			`expected status ${expected}${res.headers.has("location") ? ` (to ${res.headers.get("location")})` : ""}`,
		);
	}
	if (expected !== undefined && !res.headers.get("content-type")?.startsWith("text/html")) {
		problems.push(`not HTML: ${res.headers.get("content-type")}`);
	}
	const report = await validator.validateString(html, label);
	for (const result of report.results) {
		for (const m of result.messages) problems.push(`${m.line}:${m.column} ${m.ruleId}: ${m.message}`);
	}
	if (problems.length === 0) {
		console.log(`ok    ${res.status} ${label}`);
		return;
	}
	failures += 1;
	console.log(`FAIL  ${res.status} ${label}`);
	for (const problem of problems) console.log(`      ${problem}`);
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
		"/topics/policy",
		"/regions/china",
		"/no-such-page",
		"/articles/no-such-article",
		"/?cursor=not-a-cursor",
		...api.articles.map((a) => `/articles/${a.slug}`),
	];
	for (const path of paths) await check(path, await fetch(`${origin}${path}`));
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
		"/admin/pages",
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
	console.log(
		`${checked - failures} pages valid, ${failures} invalid (${((Date.now() - started) / 1000).toFixed(1)} s)`,
	);
} finally {
	await server.stop();
}
process.exit(failures === 0 ? 0 : 1);
