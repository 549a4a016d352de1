import * as z from "zod/mini";
import type { PurgeReport } from "../../cache/purge";
import type { Db } from "../../db/client";
import { auditInsert } from "../../db/queries/audit";
import {
	type AdminAuthor,
	type AuthorValues,
	findAdminAuthor,
	insertAuthor,
	listAdminAuthors,
	updateAuthor as updateAuthorRow,
} from "../../db/queries/authors";
import { findEditorByEmail } from "../../db/queries/editors";
import { AppError, notFound } from "../../lib/errors";
import { isSlug } from "../../lib/slugs";
import { AUTHOR_BIO_MAX, AUTHOR_DESCRIPTION_MAX, AUTHOR_NAME_MAX, AUTHOR_URL_MAX, EMAIL_MAX } from "../limits";
import * as v from "../validation";
import { actorOf, constraintFailed, constraintMessage } from "./constraints";
import type { Deps } from "./deps";
import { purgeChanges } from "./purge";

// Authors, the people in bylines: listed, created and changed (admins only, as topics are). The
// slug is fixed once created (it is the author's address, and every byline's link). Each change
// is one db.batch with its audit entry, then the purge of every page printing their byline.

/** `editor`: the email of the editor account to link (an editor picks that author first), or "" / null for none. */
export type AuthorInput = {
	slug?: unknown;
	name?: unknown;
	bio?: unknown;
	url?: unknown;
	description?: unknown;
	editor?: unknown;
};

export const AUTHOR_KEYS = ["slug", "name", "bio", "url", "description", "editor"] as const;
export const AUTHOR_PATCH_KEYS = ["name", "bio", "url", "description", "editor"] as const;

/** `changed` false: nothing was written. `purge` is null when nothing readers see changed. */
export type AuthorSaved = { author: AdminAuthor; changed: boolean; purge: PurgeReport | null };

/** Plain text of up to max characters ("" for none), line endings stored as "\n"; other control characters refused. */
const BIO = z.string({ error: "Must be text (an empty one for none)." }).check(
	z.overwrite((text) => text.replace(/\r\n?/g, "\n").trim()),
	z.maxLength(AUTHOR_BIO_MAX, {
		error: (issue) => `At most ${AUTHOR_BIO_MAX} characters (this is ${String(issue.input).length}).`,
	}),
	z.regex(/^(?:[^\p{Cc}]|\n)*$/u, "Control characters other than line breaks are not allowed."),
);

const URL_MESSAGE = "Must be a web address starting with https:// or http://, or empty for none.";

/** An http(s) URL, or null for none ("" too). */
const LINK = z.pipe(
	z.union([z.null(), z.string()], { error: URL_MESSAGE }),
	z.transform((input, check): string | null => {
		const text = input?.trim() ?? "";
		if (text === "") return null;
		if (text.length > AUTHOR_URL_MAX) {
			check.issues.push({ code: "custom", message: `At most ${AUTHOR_URL_MAX} characters.`, input });
			return z.NEVER;
		}
		let url: URL | null = null;
		try {
			url = new URL(text);
		} catch {}
		// No credentials in a public link, and nothing but a real web address.
		if (
			!url ||
			(url.protocol !== "https:" && url.protocol !== "http:") ||
			url.username ||
			url.password ||
			/\s/.test(text)
		) {
			check.issues.push({ code: "custom", message: URL_MESSAGE, input });
			return z.NEVER;
		}
		return url.href;
	}),
);

/** An editor's email, or null for none ("" too). */
const EDITOR = z.pipe(
	z.union([z.null(), z.string()], { error: "Must be an editor's email, or empty for none." }),
	z.transform((input, check): string | null => {
		const email = input?.trim() ?? "";
		if (email === "") return null;
		if (email.length <= EMAIL_MAX) return email;
		check.issues.push({ code: "custom", message: `At most ${EMAIL_MAX} characters.`, input });
		return z.NEVER;
	}),
);

const schemas = {
	name: v.line(AUTHOR_NAME_MAX),
	bio: BIO,
	url: LINK,
	description: v.optionalLine(AUTHOR_DESCRIPTION_MAX),
	editor: EDITOR,
};

export function listAuthors(db: Db): Promise<AdminAuthor[]> {
	return listAdminAuthors(db);
}

export async function getAuthor(db: Db, slug: string): Promise<AdminAuthor> {
	const author = isSlug(slug) ? await findAdminAuthor(db, slug) : null;
	if (!author) throw notFound(`There is no author "${slug}".`);
	return author;
}

function slugTaken(slug: string): AppError {
	return new AppError(409, `Another author already has the slug "${slug}".`, {
		slug: `"${slug}" is taken; choose another.`,
	});
}

function editorTaken(email: string): AppError {
	return new AppError(409, `The editor ${email} is already linked to another author.`, {
		editor: "Already linked to another author: unlink them there first.",
	});
}

/** The id of the editor with this email (null for none); an unknown one goes in `fields`. */
async function editorIdOf(db: Db, email: string | null | undefined, fields: v.Fields): Promise<number | null> {
	if (!email) return null;
	const editor = await findEditorByEmail(db, email);
	if (!editor) fields.editor = `There is no editor with the email "${email}".`;
	return editor?.id ?? null;
}

function refusal(err: unknown, slug: string, email: string | null): AppError | null {
	if (!constraintFailed(err, "UNIQUE")) return null;
	if (constraintMessage(err)?.includes("editor_id")) return editorTaken(email ?? "");
	return slugTaken(slug);
}

function snapshot(a: { name: string; bio: string; url: string | null; description: string }, editor: string | null) {
	return { name: a.name, bio: a.bio, url: a.url, description: a.description, editor };
}

export async function createAuthor(deps: Deps, input: AuthorInput): Promise<AuthorSaved> {
	const { db } = deps;
	const fields: v.Fields = {};
	const slug = v.check(fields, "slug", v.slug(), input.slug);
	const name = v.check(fields, "name", schemas.name, input.name);
	const sent = v.checkSent(
		{ bio: schemas.bio, url: schemas.url, description: schemas.description, editor: schemas.editor },
		input,
		fields,
	);
	const editorId = await editorIdOf(db, sent.editor, fields);
	if (slug === undefined || name === undefined || Object.keys(fields).length > 0) throw v.invalid(fields);
	if (await findAdminAuthor(db, slug)) throw slugTaken(slug);
	const values: AuthorValues = {
		name,
		bio: sent.bio ?? "",
		url: sent.url ?? null,
		description: sent.description ?? "",
		editorId,
	};
	try {
		await db.batch([
			insertAuthor(db, { ...values, slug, at: deps.now }),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "author.create",
				subject: `author:${slug}`,
				detail: snapshot(values, sent.editor ?? null),
				at: deps.now,
			}),
		]);
	} catch (err) {
		throw refusal(err, slug, sent.editor ?? null) ?? err;
	}
	// A cached 404 of their page goes.
	const purge = await purgeChanges(deps, [{ kind: "author", slug }]);
	return { author: await getAuthor(db, slug), changed: true, purge };
}

/** Changes any of name, bio, url, description and the linked editor; nothing to change is not an error. */
export async function updateAuthor(deps: Deps, slug: string, input: AuthorInput): Promise<AuthorSaved> {
	const { db } = deps;
	const current = await getAuthor(db, slug);
	const fields: v.Fields = {};
	if (input.slug !== undefined && input.slug !== current.slug) {
		fields.slug = "An author's slug is fixed once created (it is the address of their page and every byline's link).";
	}
	const sent = v.checkSent(schemas, input, fields);
	const editorId =
		input.editor === undefined ? (current.editor?.id ?? null) : await editorIdOf(db, sent.editor, fields);
	if (Object.keys(fields).length > 0) throw v.invalid(fields);
	const values: AuthorValues = {
		name: sent.name ?? current.name,
		bio: sent.bio ?? current.bio,
		url: input.url === undefined ? current.url : (sent.url ?? null),
		description: sent.description ?? current.description,
		editorId,
	};
	const editorEmail = input.editor === undefined ? (current.editor?.email ?? null) : (sent.editor ?? null);
	const printed =
		values.name !== current.name ||
		values.bio !== current.bio ||
		values.url !== current.url ||
		values.description !== current.description;
	if (!printed && editorId === (current.editor?.id ?? null)) return { author: current, changed: false, purge: null };
	try {
		await db.batch([
			updateAuthorRow(db, current.id, { ...values, at: deps.now }),
			auditInsert(db, {
				actor: actorOf(deps),
				action: "author.update",
				subject: `author:${current.slug}`,
				detail: {
					from: snapshot(current, current.editor?.email ?? null),
					to: snapshot(values, editorEmail),
				},
				at: deps.now,
			}),
		]);
	} catch (err) {
		throw refusal(err, current.slug, editorEmail) ?? err;
	}
	const author = await getAuthor(db, current.slug);
	// Linking an editor shows nowhere public: only what readers see is purged.
	if (!printed) return { author, changed: true, purge: null };
	return { author, changed: true, purge: await purgeChanges(deps, [{ kind: "author", slug: current.slug }]) };
}
