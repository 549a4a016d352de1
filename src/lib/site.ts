export const SITE_NAME = "Samarium";
export const SITE_TAGLINE = "a software development company";
export const SITE_DESCRIPTION =
	"Short, dated news on technology supply chains: rare earths, magnets, recycling and chips, from samarium.dev.";
/** Articles per page on the home, topic and region pages and the API's default. */
export const PAGE_SIZE = 20;

// SITE_URL is the same for every request of an isolate: parse it once, not per request.
let parsed: { value: string; origin: string } | undefined;

export function normalizeOrigin(value: string): string {
	if (parsed?.value !== value) parsed = { value, origin: new URL(value).origin };
	return parsed.origin;
}
