// Combining an editor's refused save with the save that came first: a three-way merge, field by
// field, against the version the editor started from. The fields are compared as the form holds
// them (text), so the HTML editor and any other client merge alike.

/** The fields a merge decides, in the form's order. */
export const MERGED_FIELDS = ["title", "slug", "summary", "bodyMarkdown", "region", "topic", "publishedAt"] as const;
export type MergedField = (typeof MERGED_FIELDS)[number];
export type MergedText = Record<MergedField, string>;

/**
 * A field the editor left as it was takes the current value; a field only the editor changed
 * keeps the editor's; one both changed (to different values) keeps the editor's and is listed in
 * `both`, for the editor to look at.
 */
export type Merge<T extends MergedText> = {
	values: T;
	/** Taken from the current version: the editor had not changed them. */
	theirs: MergedField[];
	/** Changed by both, differently: the editor's value is kept. */
	both: MergedField[];
	/** Changed by the editor only: the editor's value is kept. */
	yours: MergedField[];
};

/** Whether two values of a field save alike (a save trims all but the body). */
function same(field: MergedField, a: string, b: string): boolean {
	return field === "bodyMarkdown" ? a === b : a.trim() === b.trim();
}

export function mergeEdits<T extends MergedText>(base: MergedText, current: MergedText, mine: T): Merge<T> {
	const values: T = { ...mine };
	const merge: Merge<T> = { values, theirs: [], both: [], yours: [] };
	for (const field of MERGED_FIELDS) {
		// An empty slug on an edit keeps the stored one: the editor did not change it.
		const own = field === "slug" && mine.slug.trim() === "" ? base.slug : mine[field];
		const editorChanged = !same(field, own, base[field]);
		const theyChanged = !same(field, current[field], base[field]);
		if (!editorChanged) {
			values[field] = current[field] as T[MergedField];
			if (theyChanged) merge.theirs.push(field);
		} else if (!theyChanged) {
			merge.yours.push(field);
		} else if (!same(field, own, current[field])) {
			merge.both.push(field);
		}
	}
	return merge;
}
