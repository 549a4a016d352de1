import type { AdminTaxon, TaxonKind } from "../../db/queries/taxonomies";
import { SLUG_MAX_LENGTH } from "../../lib/slugs";
import { TAXON_DESCRIPTION_MAX, TAXON_NAME_MAX } from "../limits";
import { Field, FormError, type FormState } from "./Field";
import { FlashMessage } from "./Layout";
import { Table } from "./Table";

export type TaxonFormValues = { slug: string; name: string; description: string };

const LABELS = {
	topic: { one: "topic", many: "Topics", path: "topics", example: "rare-earths" },
	region: { one: "region", many: "Regions", path: "regions", example: "southeast-asia" },
} as const;

export function taxonAdminPath(kind: TaxonKind, slug?: string): string {
	return slug === undefined ? `/admin/${LABELS[kind].path}` : `/admin/${LABELS[kind].path}/${slug}`;
}

export function taxaTitle(kind: TaxonKind): string {
	return LABELS[kind].many;
}

function TaxonFields(props: { kind: TaxonKind; form: FormState<TaxonFormValues>; slugHint: string }) {
	const { values, fields } = props.form;
	return (
		<>
			<Field
				id={`${props.kind}-name`}
				label="Name"
				error={fields?.name}
				control={(aria) => (
					<input
						type="text"
						id={`${props.kind}-name`}
						name="name"
						value={values.name}
						required
						maxlength={TAXON_NAME_MAX}
						{...aria}
					/>
				)}
			/>
			<Field
				id={`${props.kind}-slug`}
				label="Slug"
				hint={props.slugHint}
				error={fields?.slug}
				control={(aria) => (
					<input
						type="text"
						id={`${props.kind}-slug`}
						name="slug"
						value={values.slug}
						required
						maxlength={SLUG_MAX_LENGTH}
						pattern="[a-z0-9]+(-[a-z0-9]+)*"
						{...aria}
					/>
				)}
			/>
			<Field
				id={`${props.kind}-description`}
				label="Description (optional)"
				hint={`One line under the name on its page and in the index of all ${LABELS[props.kind].path}, at most ${TAXON_DESCRIPTION_MAX} characters.`}
				error={fields?.description}
				control={(aria) => (
					<input
						type="text"
						id={`${props.kind}-description`}
						name="description"
						value={values.description}
						maxlength={TAXON_DESCRIPTION_MAX}
						{...aria}
					/>
				)}
			/>
		</>
	);
}

/** Every topic (or region) with its article count, and the form that adds one. */
export function TaxaList(props: { kind: TaxonKind; taxa: AdminTaxon[]; form: FormState<TaxonFormValues> }) {
	const label = LABELS[props.kind];
	return (
		<>
			<div class="page-head">
				<h1>{label.many}</h1>
			</div>
			{props.taxa.length === 0 ? (
				<p class="muted">No {label.one}s yet.</p>
			) : (
				<Table columns={["Name", "Slug", { label: "Articles", num: true }]}>
					{props.taxa.map((taxon) => (
						<tr>
							<td>
								<a href={taxonAdminPath(props.kind, taxon.slug)}>{taxon.name}</a>
							</td>
							<td>
								<code>{taxon.slug}</code>
							</td>
							<td class="num">{taxon.articleCount}</td>
						</tr>
					))}
				</Table>
			)}
			<p class="hint">Article counts include drafts and articles in the trash.</p>

			<h2 id="new">New {label.one}</h2>
			<form class="form" method="post" action={taxonAdminPath(props.kind)}>
				<FormError error={props.form.error} fields={props.form.fields} />
				<TaxonFields
					kind={props.kind}
					form={props.form}
					slugHint={`Its address: /${label.path}/<slug>. Lowercase letters, digits and single hyphens, e.g. ${label.example}.`}
				/>
				<div class="actions">
					<button type="submit">Add {label.one}</button>
				</div>
			</form>
		</>
	);
}

/** Renaming one topic (or region), and deleting it when no article uses it. */
export function TaxonEdit(props: {
	kind: TaxonKind;
	taxon: AdminTaxon;
	form: FormState<TaxonFormValues>;
	deleteError?: string | undefined;
}) {
	const { kind, taxon } = props;
	const label = LABELS[kind];
	const used = taxon.articleCount;
	return (
		<>
			<div class="page-head">
				<h1>{taxon.name}</h1>
				<a href={`/${label.path}/${taxon.slug}`}>View on the site</a>
			</div>
			<p>
				<a href={taxonAdminPath(kind)}>← All {label.many.toLowerCase()}</a>
			</p>
			<form class="form" method="post" action={taxonAdminPath(kind, taxon.slug)}>
				<FormError error={props.form.error} fields={props.form.fields} />
				<TaxonFields
					kind={kind}
					form={props.form}
					slugHint={`Changing the slug moves its page to /${label.path}/<new slug>: the old address /${label.path}/${taxon.slug} then answers "not found" (no redirect), so links to it elsewhere break.`}
				/>
				<div class="actions">
					<button type="submit">Save</button>
				</div>
			</form>

			<section class="panel panel-danger" aria-labelledby="delete-heading">
				<h2 id="delete-heading">Delete this {label.one}</h2>
				{props.deleteError && <FlashMessage flash={{ kind: "error", text: props.deleteError }} />}
				{used > 0 ? (
					<p>
						{used === 1 ? "1 article uses" : `${used} articles use`} it (drafts and trash included), so it cannot be
						deleted. Give {used === 1 ? "that article" : "those articles"} another {label.one} first.
					</p>
				) : (
					<form method="post" action={`${taxonAdminPath(kind, taxon.slug)}/delete`}>
						<p>No article uses it. Deleting it cannot be undone.</p>
						<button type="submit" class="button-danger">
							Delete {taxon.name}
						</button>
					</form>
				)}
			</section>
		</>
	);
}
