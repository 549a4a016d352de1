/** Lowercase ASCII words joined by single hyphens: the only form a slug is ever stored in. */
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX_LENGTH = 120;

export function isSlug(text: string): boolean {
	return text.length <= SLUG_MAX_LENGTH && SLUG_PATTERN.test(text);
}
