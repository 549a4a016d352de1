// The sample content's lead pictures: content.ts says what each shows, images.ts draws and encodes
// it, and build.ts writes its media row (apart from all three, so none of them imports another back).
import type { SeedMedia } from "./build.ts";
import { seedPictures } from "./content.ts";
import { renderPicture } from "./images.ts";

/** The sample content's lead pictures, drawn and encoded: each file with its media row's fields. */
export function renderSeedPictures(): { media: SeedMedia; png: Uint8Array }[] {
	return seedPictures.map((p) => {
		const file = renderPicture(p.spec);
		return {
			png: file.png,
			media: {
				article: p.article,
				id: file.id,
				bytes: file.png.length,
				width: file.width,
				height: file.height,
				alt: p.alt,
				caption: p.caption,
				credit: p.credit,
			},
		};
	});
}
