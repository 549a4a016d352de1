// Synthetic articles for `npm run seed:scale`: article number n (1, 2, …) is a pure function of n,
// the day it is anchored to and the site's topics and regions, drawn from a PRNG seeded by n alone,
// so that two runs write identical rows and adding more articles never changes the earlier ones.
// Pure (no Node APIs, no database): the seed writes the rows, the tests can build them too.
import { renderBody } from "../../src/lib/markdown.ts";
import { slugify } from "../../src/lib/slugs.ts";
import { seededRandom } from "../lib/random.ts";

export const SCALE_SLUG_PREFIX = "scale-";
/** Six digits after the prefix keep the slugs in number order in the slug index. */
export const SCALE_MAX_ARTICLES = 999_999;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** How far back the published articles reach: a little over three years before the anchor day. */
export const SCALE_SPAN_DAYS = 1_200;

/** The number padded to six digits, the part of a synthetic slug that identifies it. */
export function scaleKey(n: number): string {
	return `${SCALE_SLUG_PREFIX}${String(n).padStart(6, "0")}`;
}

/** The article number of a synthetic slug (`scale-000042-…` → 42); null for any other slug. */
export function scaleNumber(slug: string): number | null {
	const match = /^scale-(\d{6})-/.exec(slug);
	return match ? Number(match[1]) : null;
}

/**
 * Which kind an article is, by its number alone, so that any count of them has the same share of
 * each and the minimums are exact: per hundred, two drafts, one scheduled, one trashed, the rest
 * published. N articles hold floor((N + 50) / 100) + floor((N + 10) / 100) drafts,
 * floor((N + 25) / 100) scheduled and floor((N + 75) / 100) trashed.
 */
export type ScaleKind = "published" | "draft" | "scheduled" | "trashed";

export function scaleKind(n: number): ScaleKind {
	const r = n % 100;
	if (r === 50 || r === 90) return "draft";
	if (r === 75) return "scheduled";
	if (r === 25) return "trashed";
	return "published";
}

/** How many of each kind the articles numbered 1..count hold (see scaleKind). */
export function scaleKindCounts(count: number): Record<ScaleKind, number> {
	const per = (r: number) => Math.floor((count + 100 - r) / 100);
	const draft = per(50) + per(90);
	const scheduled = per(75);
	const trashed = per(25);
	return { draft, scheduled, trashed, published: count - draft - scheduled - trashed };
}

type Rand = () => number;

const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
const between = (rand: Rand, low: number, high: number): number => low + Math.floor(rand() * (high - low + 1));

const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

// ---- Word bank ---------------------------------------------------------------------------------

const ACTORS = [
	"magnet makers",
	"separation plants",
	"motor suppliers",
	"recyclers",
	"trade officials",
	"automakers",
	"wind turbine builders",
	"chip packaging firms",
	"battery makers",
	"mining companies",
	"distributors",
	"electronics assemblers",
	"grid operators",
	"procurement teams",
	"smelters",
	"refiners",
	"appliance makers",
	"drone manufacturers",
	"port authorities",
	"metal traders",
];

const MATERIALS = [
	"neodymium",
	"dysprosium",
	"terbium",
	"praseodymium",
	"gallium",
	"germanium",
	"cobalt",
	"lithium",
	"samarium-cobalt magnet",
	"sintered magnet",
	"ferrite magnet",
	"rare-earth oxide",
	"magnet swarf",
	"hard-drive scrap",
	"antimony",
	"tungsten",
	"graphite",
	"yttrium",
];

const TITLE_VERBS = [
	"expand",
	"cut",
	"delay",
	"secure",
	"test",
	"review",
	"raise",
	"trim",
	"weigh",
	"sign",
	"pause",
	"restart",
	"double",
	"qualify",
	"rethink",
	"lock in",
];

const THINGS = [
	"capacity",
	"output",
	"offtake deals",
	"export licences",
	"long-term contracts",
	"recycling lines",
	"inventories",
	"supply agreements",
	"pilot lines",
	"price guidance",
	"quota allocations",
	"stockpiles",
	"qualification runs",
	"shipments",
	"tolling agreements",
];

const QUALIFIERS = [
	"as demand holds",
	"ahead of the quota review",
	"after a sharp price swing",
	"amid licensing delays",
	"for the coming quarter",
	"as electric vehicle orders slow",
	"despite tight supply",
	"to meet wind demand",
	"as buyers diversify",
	"under new reporting rules",
	"while freight costs ease",
	"as a new plant comes online",
	"after an audit",
	"in a crowded market",
];

const MOVES = ["rose", "fell", "edged up", "slipped", "held steady", "jumped", "eased", "climbed", "dropped"];

const SOURCES = [
	"customs data",
	"an industry survey",
	"two people familiar with the talks",
	"a filing with the regulator",
	"quarterly results",
	"a trade association report",
	"port records",
	"a ministry notice",
	"procurement documents",
	"a consultancy's monthly tracker",
];

const FIRST_NAMES = [
	"Ana",
	"Ben",
	"Chen",
	"Dana",
	"Emil",
	"Farah",
	"Goro",
	"Hana",
	"Ivan",
	"Julia",
	"Kenji",
	"Lena",
	"Marco",
	"Nadia",
	"Omar",
	"Priya",
	"Ravi",
	"Sofia",
	"Tomas",
	"Wei",
	"Yuki",
	"Zara",
];

const LAST_NAMES = [
	"Alvarez",
	"Becker",
	"Costa",
	"Dubois",
	"Eriksen",
	"Fischer",
	"Gupta",
	"Hoffmann",
	"Ito",
	"Jensen",
	"Kowalski",
	"Li",
	"Moreau",
	"Nakamura",
	"Okafor",
	"Park",
	"Rossi",
	"Sato",
	"Tanaka",
	"Vogel",
	"Wang",
	"Zhang",
];

const ROLES = [
	"who leads procurement at a motor supplier",
	"an analyst at a commodities consultancy",
	"a plant manager at a separation facility",
	"who runs a magnet recycling start-up",
	"a trade lawyer who advises exporters",
	"head of supply chain at an appliance maker",
	"a metals trader",
	"an engineer at a wind turbine builder",
];

const EVENTS = [
	"a tightening of export licensing last year",
	"the opening of a separation plant outside the main producing region",
	"a run of delayed shipments at two ports",
	"a government grant for mine-to-magnet projects",
	"a recall that pushed buyers to requalify suppliers",
	"new rules on recycled content in motors",
	"a price spike that caught smaller buyers short",
	"a merger between two mid-sized producers",
	"a dispute over quota allocations",
	"the start of commercial production at a recycling line",
];

const TRENDS = [
	"the third monthly change in a row",
	"reversing most of the previous quarter's move",
	"in line with oxide costs",
	"the steepest change since early last year",
	"a smaller move than buyers had braced for",
	"as inventories were drawn down",
];

const HEADINGS = ["What to watch", "Why it matters", "Background", "The numbers", "What comes next", "Buyers' view"];

const WATCH_ITEMS = [
	"Quarterly export figures and licence approvals.",
	"Spot prices for oxide and metal.",
	"New separation capacity coming online.",
	"Qualification results for alternative suppliers.",
	"Freight rates on the main shipping lanes.",
	"Recycled-content rules under discussion.",
	"Inventory levels at the largest distributors.",
	"Contract renewals due at the end of the year.",
	"Demand signals from electric vehicle makers.",
	"Grant decisions for domestic processing.",
];

const MONTHS = [
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
];

// ---- Prose ---------------------------------------------------------------------------------------

function person(rand: Rand): string {
	return `${pick(rand, FIRST_NAMES)} ${pick(rand, LAST_NAMES)}`;
}

function sentence(rand: Rand, place: string): string {
	const material = pick(rand, MATERIALS);
	const actors = pick(rand, ACTORS);
	const things = pick(rand, THINGS);
	switch (between(rand, 0, 11)) {
		case 0:
			return `${capitalize(actors)} in ${place} said ${material} ${things} would change by ${between(rand, 2, 40)} percent over the next ${between(rand, 2, 18)} months.`;
		case 1:
			return `According to ${pick(rand, SOURCES)}, lead times for ${material} have moved to ${between(rand, 3, 30)} weeks.`;
		case 2:
			return `"We are planning for ${pick(rand, ["tighter", "steadier", "slower", "lumpier"])} supply than a year ago," said ${person(rand)}, ${pick(rand, ROLES)}.`;
		case 3:
			return `The move follows ${pick(rand, EVENTS)}.`;
		case 4:
			return `Prices for ${material} ${pick(rand, MOVES)} ${between(rand, 1, 25)} percent in ${pick(rand, MONTHS)}, ${pick(rand, TRENDS)}.`;
		case 5:
			return `Several ${actors} said they had started to ${pick(rand, TITLE_VERBS)} ${things} ${pick(rand, QUALIFIERS)}.`;
		case 6:
			return `Shipments through ${place} reached ${between(rand, 120, 9_800).toLocaleString("en-US")} tonnes, according to ${pick(rand, SOURCES)}.`;
		case 7:
			return `Not everyone expects the change to last: ${person(rand)}, ${pick(rand, ROLES)}, said buyers had seen similar swings before.`;
		case 8:
			return `The company did not say how much the new ${things} would cost, but ${pick(rand, SOURCES)} put the figure at about $${between(rand, 12, 900)} million.`;
		case 9:
			return `For ${actors}, the question is less the price of ${material} than whether it arrives on time.`;
		case 10:
			return `Output of ${material} is expected to ${pick(rand, ["grow", "stay flat", "dip", "recover"])} this year, with most new supply arriving in the second half.`;
		default:
			return `${capitalize(pick(rand, ACTORS))} and ${pick(rand, ACTORS)} have been in talks about shared ${things} since ${pick(rand, MONTHS)}.`;
	}
}

function paragraph(rand: Rand, place: string): string {
	return Array.from({ length: between(rand, 2, 4) }, () => sentence(rand, place)).join(" ");
}

/** 3 to 6 paragraphs, sometimes with a heading and a list or a quote: about 200 words. */
function body(rand: Rand, place: string): string {
	const blocks: string[] = [];
	const paragraphs = between(rand, 3, 6);
	for (let p = 0; p < paragraphs; p++) blocks.push(paragraph(rand, place));
	const extra = rand();
	if (extra < 0.35) {
		const items = new Set<string>();
		while (items.size < 3) items.add(pick(rand, WATCH_ITEMS));
		blocks.push(`## ${pick(rand, HEADINGS)}`, [...items].map((item) => `- ${item}`).join("\n"), paragraph(rand, place));
	} else if (extra < 0.55) {
		blocks.splice(1, 0, `> ${sentence(rand, place)}`);
	} else if (extra < 0.65) {
		blocks.push(`*Reporting by ${person(rand)}; editing by ${person(rand)}.*`);
	}
	return blocks.join("\n\n");
}

function title(rand: Rand, place: string): string {
	const material = pick(rand, MATERIALS);
	switch (between(rand, 0, 3)) {
		case 0:
			return `${capitalize(pick(rand, ACTORS))} ${pick(rand, TITLE_VERBS)} ${material} ${pick(rand, THINGS)} ${pick(rand, QUALIFIERS)}`;
		case 1:
			return `${capitalize(material)} prices ${pick(rand, MOVES)} ${pick(rand, QUALIFIERS)}`;
		case 2:
			return `${place}: ${pick(rand, ACTORS)} ${pick(rand, TITLE_VERBS)} ${pick(rand, THINGS)} ${pick(rand, QUALIFIERS)}`;
		default:
			return `${capitalize(pick(rand, ACTORS))} in ${place} ${pick(rand, TITLE_VERBS)} ${pick(rand, THINGS)}`;
	}
}

// ---- Rows ----------------------------------------------------------------------------------------

export type ScaleTaxon = { id: number; name: string };

/** Everything an `articles` row holds, ready to insert (ids of the region and topic resolved). */
export type ScaleArticle = {
	n: number;
	slug: string;
	title: string;
	summary: string;
	bodyMarkdown: string;
	bodyHtml: string;
	bodyText: string;
	regionId: number;
	topicId: number;
	status: "draft" | "published";
	publishedAt: number | null;
	createdAt: number;
	updatedAt: number;
	deletedAt: number | null;
	/** A retired slug that now leads here (one article in fifty has one); null for the rest. */
	retiredSlug: string | null;
};

/** The times of article n (cheap: no prose), so that a seed can sort by them before writing. */
export function scaleTimes(
	n: number,
	anchor: number,
): Pick<ScaleArticle, "publishedAt" | "createdAt" | "updatedAt" | "deletedAt"> {
	const rand = seededRandom(Math.imul(n, 0x9e3779b1) ^ 0x7a11);
	const kind = scaleKind(n);
	if (kind === "draft") {
		const createdAt = anchor - between(rand, 0, 120 * 24) * HOUR - between(rand, 0, 59) * MINUTE;
		return {
			publishedAt: null,
			createdAt,
			updatedAt: Math.min(anchor, createdAt + between(rand, 0, 5 * 24) * HOUR),
			deletedAt: null,
		};
	}
	if (kind === "scheduled") {
		// Whole quarter hours, as editors pick them, from tomorrow to two months ahead.
		const publishedAt = anchor + DAY + between(rand, 0, 60 * 24 * 4) * 15 * MINUTE;
		const createdAt = anchor - between(rand, 0, 10 * 24) * HOUR;
		return {
			publishedAt,
			createdAt,
			updatedAt: Math.min(anchor, createdAt + between(rand, 0, 48) * HOUR),
			deletedAt: null,
		};
	}
	// A growing newsroom: more articles in recent years (density falls linearly with age), mostly
	// in working hours, on whole minutes (so some share a publication time, as real ones do).
	const daysAgo = Math.floor(SCALE_SPAN_DAYS * (1 - Math.sqrt(rand())));
	const hour = rand() < 0.85 ? between(rand, 5, 19) : between(rand, 0, 23);
	const publishedAt = Math.min(
		anchor - MINUTE,
		anchor - (daysAgo + 1) * DAY + hour * HOUR + between(rand, 0, 59) * MINUTE,
	);
	const createdAt = publishedAt - between(rand, 20, 48 * 60) * MINUTE;
	const updatedAt = rand() < 0.15 ? Math.min(anchor, publishedAt + between(rand, 1, 240) * HOUR) : publishedAt;
	const deletedAt = kind === "trashed" ? Math.min(anchor, updatedAt + between(rand, 1, 30 * 24) * HOUR) : null;
	return { publishedAt, createdAt, updatedAt, deletedAt };
}

/**
 * Article n, anchored at `anchor` (the start of a UTC day: the newest is published that day or the
 * one before, scheduled ones from the day after). Region and topic are picked from the lists given
 * with a mild skew, every one of them in use once there are a few dozen articles.
 */
export function scaleArticle(n: number, anchor: number, regions: ScaleTaxon[], topics: ScaleTaxon[]): ScaleArticle {
	if (regions.length === 0 || topics.length === 0) throw new Error("seed:scale needs at least one region and topic");
	const rand = seededRandom(Math.imul(n, 0x85ebca6b) ^ 0x5ca1e);
	const region = regions[skewed(rand, regions.length)] as ScaleTaxon;
	const topic = topics[skewed(rand, topics.length)] as ScaleTaxon;
	const place = region.name;
	const articleTitle = title(rand, place);
	const summary = `${sentence(rand, place)} ${sentence(rand, place)}`;
	const bodyMarkdown = body(rand, place);
	const rendered = renderBody(bodyMarkdown);
	const kind = scaleKind(n);
	const times = scaleTimes(n, anchor);
	const key = scaleKey(n);
	// A slug as the admin would make it from the title, behind the number that identifies it.
	let words = slugify(articleTitle);
	if (words.length > 80) words = words.slice(0, words.lastIndexOf("-", 80));
	return {
		n,
		slug: `${key}-${words}`,
		title: articleTitle,
		summary,
		bodyMarkdown,
		bodyHtml: rendered.html,
		bodyText: rendered.text,
		regionId: region.id,
		topicId: topic.id,
		status: kind === "draft" || (kind === "trashed" && n % 200 === 25) ? "draft" : "published",
		...(kind === "trashed" && n % 200 === 25 ? { ...times, publishedAt: null } : times),
		// The bare number: never an article's own slug, since every synthetic slug has words after it.
		retiredSlug: kind === "published" && n % 50 === 7 ? key : null,
	};
}

/** An index into a list of `length`, the first entries a little likelier than the last. */
function skewed(rand: Rand, length: number): number {
	return Math.min(length - 1, Math.floor(length * rand() ** 1.3));
}

/** The start of the UTC day of `now`: the anchor of a run, the same for every run that day. */
export function scaleAnchor(now: number): number {
	return now - (now % DAY);
}
