import type { AuditActor } from "../../db/queries/audit";
import type { Deps } from "./deps";

// What every service that writes shares: who the audit log names, and how to read a refusal of
// D1's out of the error it throws.

export function actorOf(deps: Pick<Deps, "editor">): AuditActor {
	return { id: deps.editor.id, email: deps.editor.email };
}

/** D1's text for a constraint that refused a statement, wherever the error wraps it. */
export function constraintMessage(err: unknown): string | null {
	for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
		if (/constraint failed/i.test(e.message)) return e.message;
	}
	return null;
}

/** True when D1 refused a statement of the batch over this kind of constraint. */
export function constraintFailed(err: unknown, kind: "UNIQUE" | "NOT NULL" | "FOREIGN KEY"): boolean {
	return constraintMessage(err)?.includes(`${kind} constraint failed`) ?? false;
}
