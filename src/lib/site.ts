export const SITE_NAME = "Samarium";
export const SITE_TAGLINE = "a software development company";
export const SITE_DESCRIPTION =
	"Short, dated news on technology supply chains: rare earths, magnets, recycling and chips, from samarium.dev.";
/** Articles per page on the home, topic and region pages and the API's default. */
export const PAGE_SIZE = 20;
