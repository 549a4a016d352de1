// Which article a reader (or an editor) picks: a Zipf-like popularity, where the article of rank r
// is read in proportion to 1/r^s, as news readership is (a few stories take most of the traffic,
// the long tail is still read now and then).

import { seededRandom } from "../lib/random.ts";

/** Draws ranks 1..n with probability proportional to 1/rank^s, by binary search in a precomputed CDF. */
export class Zipf {
	readonly n: number;
	readonly s: number;
	private readonly cdf: Float64Array;

	constructor(n: number, s: number) {
		if (!Number.isInteger(n) || n < 1) throw new Error(`Zipf: n must be a positive integer, not ${n}`);
		this.n = n;
		this.s = s;
		this.cdf = new Float64Array(n);
		let total = 0;
		for (let r = 1; r <= n; r++) {
			total += 1 / r ** s;
			this.cdf[r - 1] = total;
		}
		for (let i = 0; i < n; i++) this.cdf[i] = (this.cdf[i] ?? 0) / total;
	}

	/** The probability of rank r. */
	probability(r: number): number {
		return (this.cdf[r - 1] ?? 0) - (r > 1 ? (this.cdf[r - 2] ?? 0) : 0);
	}

	/** A rank from 1 to n; `u` is uniform in [0, 1). */
	rank(u: number): number {
		let lo = 0;
		let hi = this.n - 1;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if ((this.cdf[mid] ?? 1) > u) hi = mid;
			else lo = mid + 1;
		}
		return lo + 1;
	}
}

/**
 * Which article holds each rank: a seeded shuffle of 1..n, so popularity does not simply follow
 * publication order (index 0 is rank 1). Returns article numbers as the extra articles are numbered.
 */
export function rankedArticles(n: number, seed: number): number[] {
	const random = seededRandom(seed);
	const order = Array.from({ length: n }, (_, i) => i + 1);
	for (let i = n - 1; i > 0; i--) {
		const j = Math.floor(random() * (i + 1));
		[order[i], order[j]] = [order[j] as number, order[i] as number];
	}
	return order;
}
