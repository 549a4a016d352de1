import type { Child } from "hono/jsx";

// One labelled control with its hint and inline error, for every admin form.

export type FieldErrors = Record<string, string>;

/** What a form shows: the values to fill in (the editor's own after a refusal) and what was wrong. */
export type FormState<T> = { values: T; fields?: FieldErrors; error?: string };

export type FieldAria = { "aria-describedby"?: string; "aria-invalid"?: "true" };

/**
 * `control` renders the input itself with the `aria` attributes it is given, which point at the
 * hint and the error (ids `<id>-hint`, `<id>-error`); `id` must be the control's id.
 */
export function Field(props: {
	id: string;
	label: string;
	hint?: Child;
	error?: string | undefined;
	control: (aria: FieldAria) => Child;
}) {
	const described = [props.hint !== undefined ? `${props.id}-hint` : null, props.error ? `${props.id}-error` : null]
		.filter((id) => id !== null)
		.join(" ");
	const aria: FieldAria = {
		...(described ? { "aria-describedby": described } : {}),
		...(props.error ? { "aria-invalid": "true" as const } : {}),
	};
	return (
		<div class={props.error ? "field field-invalid" : "field"}>
			<label for={props.id}>{props.label}</label>
			{props.control(aria)}
			{props.hint !== undefined && (
				<p class="hint" id={`${props.id}-hint`}>
					{props.hint}
				</p>
			)}
			{props.error && (
				<p class="field-error" id={`${props.id}-error`}>
					{props.error}
				</p>
			)}
		</div>
	);
}

/** The form-level message above the fields when a save was refused. */
export function FormError(props: { error?: string | undefined; fields?: FieldErrors | undefined }) {
	if (!props.error) return null;
	const count = Object.keys(props.fields ?? {}).length;
	return (
		<div class="flash flash-error" role="alert">
			<p>{props.error}</p>
			{count > 0 && <p>{count === 1 ? "One field needs attention." : `${count} fields need attention.`}</p>}
		</div>
	);
}
