// The writers' record of every acknowledged save, on the same clock as the readers' requests: the
// stale check asks it which version a reader must see at the moment its request was sent.

export type Ack = {
	version: number;
	title: string;
	bodyMarkdown: string;
	writer: number;
	/** When the PATCH was sent, and when its 2xx response arrived (performance.now()). */
	sentAt: number;
	ackAt: number;
};

export class Ledger {
	private readonly acks = new Map<number, Ack[]>();
	private readonly highestSent = new Map<number, number>();
	/** Saves sent and not answered yet, by when they were sent: each may have purged already. */
	private readonly pending = new Map<number, Set<number>>();

	/**
	 * A save that would produce `version` is being sent now (`sentAt`): a reader may see it from
	 * now on. Call `settled` with the same time once it is answered, whatever the answer.
	 */
	sending(article: number, version: number, sentAt: number): void {
		this.highestSent.set(article, Math.max(version, this.highestSent.get(article) ?? 1));
		const pending = this.pending.get(article) ?? new Set();
		pending.add(sentAt);
		this.pending.set(article, pending);
	}

	settled(article: number, sentAt: number): void {
		this.pending.get(article)?.delete(sentAt);
	}

	acknowledged(article: number, ack: Ack): void {
		const list = this.acks.get(article) ?? [];
		list.push(ack);
		this.acks.set(article, list);
	}

	/** The newest version acknowledged before `at` (1, the seeded text, when none was). */
	required(article: number, at: number): number {
		let version = 1;
		for (const ack of this.acks.get(article) ?? []) if (ack.ackAt < at && ack.version > version) version = ack.version;
		return version;
	}

	/** The acknowledged save `required(article, at)` names, if any (for reporting a stale read). */
	ackOf(article: number, version: number): Ack | undefined {
		return this.acks.get(article)?.find((ack) => ack.version === version);
	}

	/** The highest version any save sent so far could have produced: a page showing more was never written. */
	highestPossible(article: number): number {
		return this.highestSent.get(article) ?? 1;
	}

	/** Whether a save of one of these articles was under way or done at some moment of [from, to]. */
	savedDuring(articles: Iterable<number>, from: number, to: number): boolean {
		for (const article of articles) {
			for (const ack of this.acks.get(article) ?? []) if (ack.sentAt <= to && ack.ackAt >= from) return true;
			for (const sentAt of this.pending.get(article) ?? []) if (sentAt <= to) return true;
		}
		return false;
	}

	articles(): number[] {
		return [...this.acks.keys()].sort((a, b) => a - b);
	}

	acksOf(article: number): Ack[] {
		return [...(this.acks.get(article) ?? [])].sort((a, b) => a.version - b.version);
	}

	/** The last acknowledged save: the highest version (acks of two writers can arrive out of order). */
	last(article: number): Ack | undefined {
		return this.acksOf(article).at(-1);
	}

	get count(): number {
		let n = 0;
		for (const list of this.acks.values()) n += list.length;
		return n;
	}
}
