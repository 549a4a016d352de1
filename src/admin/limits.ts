// How long each field an editor fills in may be: the services' validation refuses more, the forms
// print the same numbers as `maxlength` (a browser stops typing where the server would refuse), and
// the editor CLI reads them too. No imports, so that the CLI can load it under plain Node. A slug's
// limit is the site's own (SLUG_MAX_LENGTH in src/lib/slugs.ts).

export const ARTICLE_TITLE_MAX = 200;
export const ARTICLE_SUMMARY_MAX = 400;
export const ARTICLE_BODY_MAX = 100_000;
/** A public correction's note. */
export const CORRECTION_NOTE_MAX = 1000;

export const PAGE_TITLE_MAX = 200;
export const PAGE_BODY_MAX = 100_000;

export const TAXON_NAME_MAX = 80;
/** A topic's or region's one-line description, under its name on its page and in the index. */
export const TAXON_DESCRIPTION_MAX = 200;
export const TOKEN_NAME_MAX = 80;
/** An author's name, as bylines print it. */
export const AUTHOR_NAME_MAX = 80;
/** An author's short bio on their page (plain text; line breaks kept). */
export const AUTHOR_BIO_MAX = 1000;
/** An author's own site or profile (http or https). */
export const AUTHOR_URL_MAX = 500;
/** An author's one line under their name. */
export const AUTHOR_DESCRIPTION_MAX = 200;
/** Names in one byline. */
export const ARTICLE_AUTHORS_MAX = 10;
export const EDITOR_NAME_MAX = 80;
/** Longer than any real address (RFC 5321 allows 254); keeps throttle keys and audit rows bounded. */
export const EMAIL_MAX = 320;

/** Articles per page of the JSON list: the default and the most a client may ask for. */
export const API_LIST_LIMIT_DEFAULT = 20;
export const API_LIST_LIMIT_MAX = 100;
/** Articles per page of the HTML list. */
export const HTML_LIST_LIMIT = 50;
/** Entries per page of the audit log. */
export const AUDIT_PAGE_SIZE = 50;
/** Slugs one manual purge may name. */
export const PURGE_SLUGS_MAX = 100;

/** The largest picture file the library takes, and the most its upload's whole body may add around it. */
export const MEDIA_MAX_BYTES = 10 * 1024 * 1024;
export const MEDIA_FORM_OVERHEAD = 64 * 1024;
/** A picture's alt text (required), caption and credit. */
export const MEDIA_ALT_MAX = 500;
export const MEDIA_CAPTION_MAX = 500;
export const MEDIA_CREDIT_MAX = 200;
/** Pictures per page of the library, JSON and HTML. */
export const MEDIA_PAGE_DEFAULT = 50;
export const MEDIA_PAGE_MAX = 100;
