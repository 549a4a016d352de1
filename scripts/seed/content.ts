// Sample data written for this project: original, fictional news content for the Samarium demo site.

import type { PictureSpec } from "./images.ts";

export type SeedArticle = {
	slug: string;
	title: string;
	summary: string;
	region: string;
	topic: string;
	/** Author slugs, in byline order. */
	authors: string[];
	status: "draft" | "published";
	publishedAt: string | { daysFromNow: number };
	bodyMarkdown: string;
};
export type SeedPage = { slug: string; title: string; bodyMarkdown: string };
export type SeedTaxon = { slug: string; name: string; description: string };
export type SeedAuthor = { slug: string; name: string; bio: string; url: string | null; description: string };
/** An article's lead picture: drawn by images.ts; the alt text describes the drawing, not the story. */
export type SeedPicture = { article: string; spec: PictureSpec; alt: string; caption: string; credit: string };
/** A public correction; the article's body already reads as corrected. */
export type SeedCorrection = { article: string; note: string; at: string };

export const seedRegions: SeedTaxon[] = [
	{ slug: "china", name: "China", description: "Quotas, licensing and processing in the largest rare-earth producer." },
	{
		slug: "united-states",
		name: "United States",
		description: "Grants, new plants and buyers rebuilding a domestic mine-to-magnet chain.",
	},
	{
		slug: "europe",
		name: "Europe",
		description: "Stockpiles, recycling rules and wind buyers across the EU and its neighbours.",
	},
	{
		slug: "japan",
		name: "Japan",
		description: "Stockpiles, overseas offtake and the motor makers who learned to use less.",
	},
	{ slug: "global", name: "Global", description: "Trade controls, markets and technologies that cross every border." },
];

export const seedTopics: SeedTaxon[] = [
	{
		slug: "consumer-electronics",
		name: "Consumer Electronics",
		description: "Chargers, speakers and the small parts that depend on scarce materials.",
	},
	{
		slug: "automotive",
		name: "Automotive",
		description: "Traction motors, auxiliary drives and designs that need fewer rare earths.",
	},
	{ slug: "energy", name: "Energy", description: "Wind generators, grid storage and the magnets inside them." },
	{
		slug: "recycling",
		name: "Recycling",
		description: "Recovering magnets and metals from scrap, swarf and retired hardware.",
	},
	{
		slug: "policy",
		name: "Policy",
		description: "Export controls, quotas, stockpiles and the money behind new supply.",
	},
];

// Fictional people, written for the demo site.
export const seedAuthors: SeedAuthor[] = [
	{
		slug: "ines-calloway",
		name: "Ines Calloway",
		bio: "Ines Calloway covers export controls, quotas and industrial policy. Before joining Samarium she reported on metals markets for a commodities trade weekly.",
		url: null,
		description: "Trade and policy: export controls, quotas and stockpiles.",
	},
	{
		slug: "kenji-arakawa",
		name: "Kenji Arakawa",
		bio: "Kenji Arakawa writes about magnets, motors and the electronics that use them. He trained as a materials engineer and spent six years in motor design.",
		url: "https://example.com/kenji-arakawa",
		description: "Magnets and motors, and the materials science behind them.",
	},
	{
		slug: "dana-okafor",
		name: "Dana Okafor",
		bio: "Dana Okafor reports on recycling and recovery, from production swarf to retired data-centre drives.",
		url: null,
		description: "Recycling, recovery and the circular supply chain.",
	},
	{
		slug: "ruth-lindqvist",
		name: "Ruth Lindqvist",
		bio: "Ruth Lindqvist is Samarium's energy and data editor. She follows wind, grid storage and the numbers behind supply deals.",
		url: "https://example.org/ruth-lindqvist",
		description: "Energy, grids and the numbers behind supply deals.",
	},
];

export const seedArticles: SeedArticle[] = [
	{
		slug: "export-licensing-widens-for-heavy-rare-earths",
		title: "Export licensing widens to cover more heavy rare earths and some finished magnets",
		summary:
			"A trade ministry notice extends per-shipment export licensing to more heavy rare-earth elements and some finished magnets, lengthening lead times for overseas buyers.",
		region: "china",
		topic: "policy",
		authors: ["ines-calloway"],
		status: "published",
		publishedAt: "2025-03-11T08:42:17Z",
		bodyMarkdown: `A trade ministry notice published this week extends the export licensing regime to several more heavy rare-earth elements, along with some categories of finished permanent magnets. Exporters must now file end-user details for each shipment instead of relying on broader standing approvals.

Buyers in motor and electronics supply chains said the immediate effect is on paperwork rather than volume. Several distributors reported that applications filed in the first weeks were taking noticeably longer to clear, and some have started quoting longer delivery windows as a precaution.

## What changes for buyers

- Each shipment needs end-use and end-user declarations.
- Licences are issued per contract rather than per customer.
- Re-export of licensed material requires fresh disclosure.

Analysts said the notice fits a pattern of gradually tighter oversight rather than a sudden cut-off. Procurement teams are nonetheless revisiting safety stock targets, particularly for dysprosium and terbium, which help magnets hold their strength at high temperatures.`,
	},
	{
		slug: "federal-grants-target-mine-to-magnet-gaps",
		title: "Federal grant round targets the missing middle of the mine-to-magnet chain",
		summary:
			"A new public funding round prioritises separation, metal-making and alloying, the stages between ore and finished magnet where domestic capacity is thinnest.",
		region: "united-states",
		topic: "policy",
		authors: ["ines-calloway", "ruth-lindqvist"],
		status: "published",
		publishedAt: "2025-04-02T15:07:49Z",
		bodyMarkdown: `A new federal funding round for critical minerals puts its emphasis on the middle of the supply chain rather than on mining itself. According to [the program announcement](https://example.org/notice), applicants working on oxide separation, metal reduction and magnet alloy production will be scored ahead of new extraction projects.

Industry groups have long argued that ore is not the main bottleneck. The harder problem is turning mixed concentrates into individual oxides, then into metals and alloys that a magnet plant can actually use, and those steps have historically been concentrated in a handful of overseas facilities.

The round favours consortia that can show a named downstream buyer. Reviewers are expected to look closely at offtake letters from motor makers, electronics assemblers and defence suppliers, on the theory that a plant with committed customers is less likely to stall after construction.

Observers cautioned that grants alone rarely close a capacity gap. Separation plants take years to permit and commission, and several earlier projects struggled once spot prices fell below the level their business plans had assumed.`,
	},
	{
		slug: "hydrogen-decrepitation-pilot-line-starts-trials",
		title: "Hydrogen decrepitation pilot line begins trials on scrap motor magnets",
		summary:
			"A university-led pilot line is testing whether hydrogen can break end-of-life motor magnets into reusable alloy powder without a full chemical separation step.",
		region: "europe",
		topic: "recycling",
		authors: ["dana-okafor", "kenji-arakawa"],
		status: "published",
		publishedAt: "2025-04-28T11:19:03Z",
		bodyMarkdown: `A pilot recycling line run by a university consortium has started processing scrap magnets recovered from industrial motors. The line uses hydrogen decrepitation, a process in which hydrogen is absorbed into the magnet alloy and causes it to crumble into a coarse powder.

The appeal of the approach is that it skips much of the chemistry. Instead of dissolving magnets and separating each element again, the powder can in principle be cleaned, blended with some fresh material and pressed into new magnets.

The difficult part is getting clean feed. Magnets in motors are usually glued, coated and embedded in steel laminations, and the team said that disassembly still accounts for most of the labour in each batch.

Partners hope to publish magnetic performance data for the recycled parts later in the year. If the numbers hold up, the consortium wants to test the process on scrap from wind turbine generators, which contain far larger magnets per unit.`,
	},
	{
		slug: "wound-field-motors-return-in-compact-evs",
		title: "Wound-field synchronous motors return as compact EVs shed rare earths",
		summary:
			"Motor designers are revisiting wound-field synchronous machines for small electric cars, trading some efficiency at low speed for freedom from magnet supply risk.",
		region: "japan",
		topic: "automotive",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2025-05-21T09:55:36Z",
		bodyMarkdown: `Engineers at several mid-sized motor makers say interest in wound-field synchronous motors has picked up sharply over the past year. In these machines the rotor field comes from a copper winding fed with current, rather than from permanent magnets.

The design has clear trade-offs. Feeding current to a spinning rotor needs brushes and slip rings or a contactless exciter, and the rotor winding itself consumes energy, which can reduce efficiency in city driving.

On the other hand, the field can be weakened at will, which helps at motorway speeds, and the bill of materials contains no rare earths at all. For compact cars with modest power targets, some designers now consider that a reasonable bargain.

Suppliers of contactless exciters report that prototype orders have grown. Production decisions are still a few years away, but the work suggests that rare-earth-free drivetrains are moving from research papers into real vehicle programmes.`,
	},
	{
		slug: "gallium-germanium-controls-reach-chip-packaging",
		title: "Gallium and germanium controls ripple from wafers into chip packaging",
		summary:
			"Export controls on gallium and germanium are now showing up in pricing for compound semiconductors, infrared optics and some specialised packaging materials.",
		region: "global",
		topic: "consumer-electronics",
		authors: ["ines-calloway"],
		status: "published",
		publishedAt: "2025-06-16T13:24:58Z",
		bodyMarkdown: `Licensing requirements on gallium and germanium exports have been in place long enough that their effects are spreading beyond the first tier of buyers. Distributors say the strain is no longer limited to wafer makers and now reaches component suppliers further down the chain.

Gallium is central to gallium nitride power chips and to many radio-frequency parts, while germanium is used in infrared lenses, fibre optics and some specialised substrates. Both are usually recovered as by-products of aluminium and zinc refining, which makes it slow to add new supply elsewhere.

Analysts said the most visible change is in contract terms rather than outright shortages. Buyers are being asked to accept longer notice periods, and some suppliers now include clauses that let them pass through sudden changes in raw material cost.

Refiners outside the main producing country have announced plans to recover gallium from existing alumina plants. Those projects are technically straightforward, but they depend on long-term purchase commitments that chipmakers have so far been reluctant to sign.`,
	},
	{
		slug: "separation-plants-expand-as-wind-demand-holds",
		title: "Separation plants add capacity as wind turbine demand holds steady",
		summary:
			"Operators of rare-earth separation plants are adding solvent extraction lines, betting that direct-drive wind turbines will keep neodymium and praseodymium demand high.",
		region: "china",
		topic: "energy",
		authors: ["ruth-lindqvist"],
		status: "published",
		publishedAt: "2025-07-09T17:48:21Z",
		bodyMarkdown: `Several rare-earth separation plants in the country's main processing regions are adding solvent extraction capacity, according to industry trade publications. The expansions focus on neodymium and praseodymium, the two elements that dominate demand from magnet makers.

Wind power is one of the main reasons. Direct-drive turbines, which avoid a gearbox by using a large permanent-magnet generator, can contain several tonnes of magnet material per unit, and onshore and offshore installations have remained robust.

Not every turbine uses that design. Many manufacturers still rely on geared drivetrains with smaller generators, and some offer medium-speed hybrids that use fewer magnets, so the outlook depends heavily on which architectures win the next round of tenders.

Plant operators also face tighter environmental oversight. New lines are expected to include improved wastewater treatment and reagent recycling, which raises the cost of each tonne of separated oxide.`,
	},
	{
		slug: "induction-motors-regain-ground-in-delivery-trucks",
		title: "Induction motors regain ground in electric delivery trucks",
		summary:
			"Fleet operators and a mid-sized truck builder say induction motors, long seen as yesterday's technology, fit urban delivery duty cycles with no rare earths required.",
		region: "united-states",
		topic: "automotive",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2025-08-05T06:31:44Z",
		bodyMarkdown: `Induction motors were a common choice in early electric vehicles before permanent-magnet machines took over on efficiency. Now a mid-sized builder of electric delivery trucks says it is standardising on induction drives for its next model line.

The company pointed to supply security as much as cost. Induction motors use copper or aluminium rotor bars and steel laminations, materials that are widely available and not subject to export licensing.

**The efficiency gap is real but narrower than it was.** Better control software and improved cooling have reduced losses, and for trucks that spend much of the day at steady speeds with frequent regenerative braking, fleet managers said the difference in range is modest.

Some operators remain sceptical. They note that permanent-magnet motors are lighter for the same output, which matters when every kilogram counts against payload, and that battery prices rather than motor choice still dominate total vehicle cost.`,
	},
	{
		slug: "europe-weighs-shared-rare-earth-stockpile",
		title: "European officials weigh a shared stockpile of rare earths and magnets",
		summary:
			"Discussion papers circulating among member states explore pooled strategic stocks of rare-earth oxides and finished magnets, though funding and governance remain open.",
		region: "europe",
		topic: "policy",
		authors: ["ines-calloway", "dana-okafor"],
		status: "published",
		publishedAt: "2025-08-27T19:12:05Z",
		bodyMarkdown: `Officials in several European capitals are discussing whether to build a shared strategic reserve of rare-earth materials. Discussion papers seen by industry groups describe pooled stocks of separated oxides and, more unusually, of finished magnets in common grades.

Holding magnets rather than raw materials has a practical logic. Europe has limited capacity to turn oxides into magnets, so a reserve of oxides alone might not help a motor maker facing a sudden shortage.

## Open questions

Governance is the main sticking point. Member states disagree on who would pay for storage, who could draw on the reserve and under what conditions, and how to avoid distorting prices for companies that already hold their own buffer stocks.

Industry representatives said they would welcome a reserve but warned against letting it replace investment in processing. A stockpile buys time, one trade association noted, but it does not build a supply chain.`,
	},
	{
		slug: "hard-drive-magnets-find-second-life",
		title: "Magnets from retired hard drives find a second life in small motors",
		summary:
			"An electronics recycler is harvesting voice-coil magnets from retired hard drives and reprocessing them into feedstock for small motors and sensors.",
		region: "japan",
		topic: "recycling",
		authors: ["dana-okafor"],
		status: "published",
		publishedAt: "2025-09-17T14:33:11Z",
		bodyMarkdown: `Hard disk drives each contain a small but high-grade rare-earth magnet in the actuator that moves the read head. An electronics recycler has begun collecting these magnets at scale from corporate and government equipment disposal programmes.

Drives are convenient feedstock because they are built in standard sizes and arrive in large, uniform batches. Automated cells can remove the screws, pull the actuator assembly and separate the magnet with far less manual work than a motor or loudspeaker requires.

The recovered magnets are demagnetised, stripped of their nickel coating and processed into alloy powder. The recycler said the material is being trialled by makers of small motors and position sensors, where slightly lower performance than fresh material is acceptable.

Volumes remain small compared with total magnet demand. Even so, analysts said the project shows how existing e-waste collection channels could be adapted for magnet recovery without building entirely new logistics.`,
	},
	{
		slug: "grid-storage-sidesteps-rare-earth-squeeze",
		title: "Grid storage projects largely sidestep the rare-earth squeeze",
		summary:
			"Battery-based grid storage uses few rare earths, but developers say copper, transformers and power electronics with gallium content are the parts to watch.",
		region: "global",
		topic: "energy",
		authors: ["ruth-lindqvist"],
		status: "published",
		publishedAt: "2025-09-17T14:33:11Z",
		bodyMarkdown: `Grid-scale battery projects have grown quickly, and developers say one advantage is how little they rely on rare earths. Lithium iron phosphate cells, now the dominant chemistry for stationary storage, contain no rare-earth elements.

That does not make the sector immune to materials risk. Inverters and converters are moving towards wide-bandgap semiconductors, some of which depend on gallium, and transformers and switchgear face long lead times of their own.

Pumped hydro and flywheel systems use large electrical machines, and some newer designs include permanent magnets. Developers of those projects said wound-field or induction machines remain viable options where magnet supply is uncertain.

Consultants advising utilities said the main lesson is to map supply risk component by component. A storage plant may look rare-earth-free on paper while still depending on a narrow set of suppliers for its power electronics.`,
	},
	{
		slug: "data-center-decommissioning-feeds-magnet-recyclers",
		title: "Data center decommissioning becomes a steady source of recyclable magnets",
		summary:
			"Recyclers say the refresh cycle in large data centers is producing predictable flows of drives, fans and power supplies rich in recoverable magnet material.",
		region: "united-states",
		topic: "recycling",
		authors: ["dana-okafor"],
		status: "published",
		publishedAt: "2025-10-14T10:06:52Z",
		bodyMarkdown: `Large data center operators replace servers and storage on regular cycles, and recyclers say that rhythm makes them an unusually reliable source of scrap. Hard drives, cooling fans and some power supplies all contain permanent magnets that can be recovered.

Predictability is the main attraction. Recyclers can plan staffing and equipment around scheduled decommissioning waves, rather than relying on irregular consumer collection drives.

Data security shapes the process. Drives must be wiped or shredded under strict chain-of-custody rules, and shredding mixes magnet fragments with aluminium and steel, so several recyclers are investing in disassembly lines that destroy the data platters while keeping the magnets intact.

State-level programmes that support e-waste processing have begun to mention magnet recovery explicitly. Recyclers said clearer rules on what counts as recycled content would help them sign longer contracts with magnet makers.`,
	},
	{
		slug: "speaker-and-haptics-suppliers-adjust-to-quotas",
		title: "Speaker and haptics suppliers adjust designs as quota signals tighten",
		summary:
			"Component makers serving phones and earbuds are testing smaller magnets and alternative grades as domestic quota allocations favour larger strategic customers.",
		region: "china",
		topic: "consumer-electronics",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2025-11-20T16:40:27Z",
		bodyMarkdown: `Makers of micro-speakers and haptic actuators for phones, earbuds and wearables say they are reworking designs to use less rare-earth magnet material. The change follows a period in which quota allocations and licensing appear to have favoured larger strategic customers.

Each device uses only a few grams of magnet, but production runs in the hundreds of millions. Small savings per part add up, and suppliers said some customers now ask for a reduced-magnet variant as part of every new design.

Engineers are testing several approaches, and most suppliers expect to offer more than one. The main options are:

- Thinner magnets paired with more efficient voice-coil geometry.
- Grades with less heavy rare-earth content, supported by better heat management.
- Ferrite magnets in lower-cost accessories where size is less critical.

Brand owners have been cautious about changing audio performance. Still, component makers expect reduced-magnet parts to become standard in mid-range devices within a couple of product cycles.`,
	},
	{
		slug: "magnet-processing-technology-joins-control-lists",
		title: "Magnet processing know-how joins the list of controlled technologies",
		summary:
			"Export controls are increasingly covering the equipment and process knowledge used to make magnets, not only the materials, complicating plans for new plants abroad.",
		region: "global",
		topic: "policy",
		authors: ["ines-calloway"],
		status: "published",
		publishedAt: "2025-12-09T08:17:25Z",
		bodyMarkdown: `Export controls on critical minerals have traditionally focused on physical materials. Trade lawyers say a growing share of new rules now covers technology instead: separation process designs, magnet sintering know-how and specialised production equipment.

That shift matters for companies trying to build plants outside the dominant producing country. Many relied on hiring experienced engineers or buying proven equipment lines, and both routes can now require licences or may be refused outright.

Engineering firms in other regions are responding by developing their own process designs. The work is slower and more expensive, and early plants may run below target yields while operators learn.

Analysts expect more governments to adopt similar technology controls of their own. Advisers are recommending that project developers map which of their equipment, software and staff could fall under such rules before committing to construction schedules.`,
	},
	{
		slug: "switched-reluctance-motors-move-closer-to-production",
		title: "Switched-reluctance motors move closer to production for passenger cars",
		summary:
			"A supplier consortium says noise and vibration problems that long held back switched-reluctance motors are now manageable with better control software.",
		region: "europe",
		topic: "automotive",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2026-01-13T07:58:09Z",
		bodyMarkdown: `Switched-reluctance motors are among the simplest electric machines to build. The rotor is a stack of shaped steel laminations with no magnets and no windings, and torque comes from the rotor's tendency to align with the energised stator poles.

The catch has always been refinement. Torque ripple produces noise and vibration that passengers notice, which kept the technology mostly in industrial equipment and appliances.

A consortium of suppliers and research institutes says modern control methods have changed that picture. By shaping the current in each phase with fast power electronics and predictive software, the group reports that noise in test vehicles has fallen to levels comparable with conventional drives.

Carmakers are evaluating the motors for secondary axles and entry-level models. Suppliers said the absence of rare earths, combined with rugged rotors that tolerate high temperatures, makes the design attractive even if it never fully matches the best permanent-magnet machines on efficiency.`,
	},
	{
		slug: "quota-watchers-read-signals-in-quarterly-allocations",
		title: "Quota watchers read signals in how production allocations are issued",
		summary:
			"With official figures published less often, analysts are piecing together rare-earth production quotas from timing, phrasing and industry reports.",
		region: "global",
		topic: "policy",
		authors: ["ines-calloway"],
		status: "published",
		publishedAt: "2026-02-24T12:15:33Z",
		bodyMarkdown: `Rare-earth mining and smelting quotas used to be announced with clear headline numbers. Analysts say the information has become less regular, and market watchers increasingly rely on indirect signals to estimate supply.

The timing of allocations is one clue. An early or unusually large first batch is read as a sign that authorities expect strong downstream demand, while delays can prompt buyers to build stock.

## Where analysts look

- Industry association reports on plant operating rates.
- Customs data on oxide, metal and magnet shipments.
- Price spreads between domestic and export markets.

The uncertainty itself has become a planning factor. Several magnet users said they now model supply scenarios rather than relying on a single forecast, and some have moved to longer contracts with fixed allocation terms.`,
	},
	{
		slug: "improved-ferrites-win-back-small-appliance-motors",
		title: "Improved ferrite grades win back motors in small appliances",
		summary:
			"Appliance makers are returning to ferrite magnets for fans, pumps and kitchen devices, helped by stronger grades and motor designs that make up for lower field strength.",
		region: "japan",
		topic: "consumer-electronics",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2026-03-18T18:27:46Z",
		bodyMarkdown: `Ferrite magnets, made mainly from iron oxide with strontium or barium, are far weaker than rare-earth magnets but cost a fraction as much and face no supply controls. Appliance makers say recent improvements have made them a credible choice again for many small motors.

Materials suppliers have raised coercivity in newer ferrite grades, partly by fine-tuning the microstructure and partly with small additions of other elements. That helps the magnets resist demagnetisation, which was a weak point in compact, high-load designs.

Motor designers are doing their part as well. Spoke-type rotors concentrate the flux from several ferrite pieces, and careful cooling keeps the magnets in the temperature range where they perform best.

The result is motors that are slightly larger for the same output. For ceiling fans, dishwasher pumps and kitchen appliances, engineers said that trade-off is usually acceptable, and it removes a line item that procurement teams have learned to worry about.`,
	},
	{
		slug: "iron-nitride-magnets-reach-generator-test-stands",
		title: "Iron nitride magnets reach generator test stands",
		summary:
			"A research group and a mid-sized generator maker are testing iron nitride magnets in a small wind generator, an early step for a material long promised in the lab.",
		region: "united-states",
		topic: "energy",
		authors: ["ruth-lindqvist"],
		status: "published",
		publishedAt: "2026-04-30T09:03:14Z",
		bodyMarkdown: `Iron nitride has attracted interest for decades because, in theory, one of its phases could rival rare-earth magnets while using only iron and nitrogen. Making that phase in bulk, rather than in thin films, has proved difficult.

A university research group working with a mid-sized generator maker says it has produced enough material to build rotors for a small wind generator. Test stand results so far show output below that of a comparable rare-earth machine but well above a ferrite design of the same size, according to a [project summary](https://example.org/iron-nitride-summary).

The researchers were careful about expectations. The magnets are sensitive to high temperatures, and the manufacturing steps are not yet proven at the scale needed for utility-size turbines.

Still, the partners said even a modest-performance magnet free of supply risk could find a market. Small wind, distributed generation and industrial motors are among the first applications they plan to target.`,
	},
	{
		slug: "offshore-wind-buyers-seek-traceable-magnets",
		title: "Offshore wind buyers ask for traceable magnet supply chains",
		summary:
			"Tender documents for offshore wind farms increasingly ask bidders to show where generator magnets come from, from oxide source to finished part.",
		region: "europe",
		topic: "energy",
		authors: ["ruth-lindqvist", "dana-okafor"],
		status: "published",
		publishedAt: "2026-06-09T14:51:38Z",
		bodyMarkdown: `Developers of offshore wind farms are adding supply chain questions to their turbine tenders. Bidders are being asked to document the origin of generator magnets at each stage, from mined concentrate through separation, metal-making and magnet production.

The requests reflect both regulatory pressure and commercial caution. Public funding programmes increasingly reward resilient supply chains, and developers want to avoid delays if a single supplier is disrupted.

Turbine makers say traceability is harder than it sounds. Magnet alloys often blend material from several sources, and intermediate processors may not track origin at the batch level.

Software tools for chain-of-custody tracking are being piloted alongside the tenders. Industry participants said that clear, shared data formats would matter more than any single tracking platform, since a magnet may pass through five or six companies before it reaches the nacelle.`,
	},
	{
		slug: "magnet-makers-close-the-loop-on-production-swarf",
		title: "Magnet makers close the loop on production swarf",
		summary:
			"Magnet plants are routing grinding swarf and off-cuts back into production, recovering material that once went to outside recyclers or was lost entirely.",
		region: "china",
		topic: "recycling",
		authors: ["dana-okafor"],
		status: "published",
		publishedAt: "2026-07-22T05:36:20Z",
		bodyMarkdown: `Sintered magnets are cut and ground to shape after pressing, and a surprising share of the material ends up as swarf and off-cuts. Industry estimates have long suggested that production scrap is one of the largest sources of recyclable rare-earth material.

Several magnet plants are now processing that scrap on site. The swarf is cleaned of coolant and oxides, then either fed back into alloy production or sent to affiliated separation plants for chemical recovery.

In-house recycling keeps valuable material under the plant's own control. It also simplifies compliance paperwork, since the material never leaves the producer's books and does not need to be re-licensed.

Outside recyclers that depended on buying production scrap say the change is squeezing their margins. Some are shifting focus to end-of-life products such as motors and electronics, which are harder to process but increasingly available.`,
	},
	{
		slug: "manganese-based-magnets-target-auxiliary-motors",
		title: "Manganese-based magnets target auxiliary motors in vehicles",
		summary:
			"Developers of manganese-bismuth and manganese-aluminium magnets are pitching them for pumps, fans and seat motors, where moderate performance is enough.",
		region: "global",
		topic: "automotive",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2026-09-03T20:09:57Z",
		bodyMarkdown: `A modern car can contain dozens of small electric motors beyond the main traction drive, powering pumps, fans, seats, mirrors and windows. Developers of manganese-based magnets see that market as their most realistic entry point.

Manganese-bismuth magnets have an unusual property: their resistance to demagnetisation increases as they warm up, the opposite of rare-earth magnets. Manganese-aluminium alloys avoid bismuth altogether, though they have their own processing challenges.

Neither material matches the strength of neodymium magnets. For auxiliary motors, however, designers often have room to use slightly larger parts, and the appeal of materials without export controls is considerable.

Analysts said qualification will be the main hurdle. Automotive suppliers test components for years before approving them, so even promising materials may take several model cycles to appear in production vehicles.`,
	},
	{
		slug: "officials-signal-longer-support-for-stockpiles-and-offtake",
		title: "Officials signal longer support for stockpiles and overseas offtake deals",
		summary:
			"An industry ministry briefing indicated that support for strategic stockpiles and financing of overseas rare-earth projects will continue over the next planning period.",
		region: "japan",
		topic: "policy",
		authors: ["ines-calloway", "kenji-arakawa"],
		status: "published",
		publishedAt: "2026-10-15T11:44:02Z",
		bodyMarkdown: `An industry ministry briefing this week indicated that government support for rare-earth stockpiles and overseas supply projects will continue into the next planning period. The briefing did not give detailed figures but described the programmes as a long-term priority.

The approach combines several tools. Public agencies hold reserves of selected materials, provide equity and loans for mining and processing projects abroad, and help domestic buyers negotiate long-term offtake agreements.

Manufacturers welcomed the continuity. Several said the combination of stockpiles and diversified supply had softened the impact of past disruptions, giving them time to qualify alternative sources.

Observers noted that the model depends on partner countries willing to host processing plants. Competition for those projects has grown as other importing economies pursue similar strategies.`,
	},
	{
		slug: "charger-makers-hedge-gallium-exposure",
		title: "Charger makers hedge gallium exposure as power chips shift to GaN",
		summary:
			"As gallium nitride chips take over fast chargers and laptop adapters, device makers are qualifying second sources and keeping silicon designs on standby.",
		region: "united-states",
		topic: "consumer-electronics",
		authors: ["kenji-arakawa"],
		status: "published",
		publishedAt: "2026-11-19T15:22:40Z",
		bodyMarkdown: `Gallium nitride transistors have made phone chargers and laptop adapters smaller and cooler, and they now appear in a large share of new designs. That success has made device makers more attentive to where the gallium comes from.

The amount of gallium in each chip is tiny, but nearly all primary supply comes from one country, which has placed it under export licensing. Chipmakers have mostly absorbed the impact so far, yet accessory brands say their contracts now include clearer allocation terms.

## Hedging strategies

Some brands are qualifying chips from several foundries, hoping at least one has secure material. Others keep a silicon-based version of key chargers ready for production, accepting a bulkier design as insurance.

Refining projects that would recover gallium from alumina production elsewhere are advancing slowly. Industry observers said those projects need buyers willing to sign long-term contracts at prices above today's market, which remains a hard sell.`,
	},
	{
		slug: "recycled-content-rules-for-magnets-under-discussion",
		title: "Recycled content rules for magnets move into technical discussion",
		summary:
			"Standards bodies are debating how to measure recycled content in permanent magnets, an early step before any minimum-content requirements can be set.",
		region: "europe",
		topic: "recycling",
		authors: ["dana-okafor"],
		status: "draft",
		publishedAt: "2026-11-05T13:12:48Z",
		bodyMarkdown: `Technical committees are beginning work on how to measure recycled content in permanent magnets. Agreed methods would be needed before any rule could require a minimum share of recycled material in motors or generators.

The questions are more complex than they look. Committees must decide whether production scrap counts as recycled, how to handle material blended from several sources and what evidence a manufacturer must keep.

Recyclers want clear definitions that reward end-of-life recovery. Magnet makers are pushing for flexibility while collection systems are still being built, and the final text is expected to take several rounds of comment.`,
	},
	{
		// Published a few hours before the seed runs, so that /news-sitemap.xml (the last 48 hours) has
		// an entry on a freshly seeded `npm run dev`.
		slug: "magnet-recyclers-sign-first-cross-border-scrap-contracts",
		title: "Magnet recyclers sign first cross-border scrap contracts",
		summary:
			"Two European recyclers have agreed multi-year contracts to buy end-of-life motor magnets from dismantlers in neighbouring countries, a first for the young industry.",
		region: "europe",
		topic: "recycling",
		authors: ["ruth-lindqvist", "dana-okafor"],
		status: "published",
		publishedAt: { daysFromNow: -0.125 },
		bodyMarkdown: `Two European magnet recyclers have signed multi-year contracts to buy end-of-life motor magnets from vehicle dismantlers in neighbouring countries. Until now, most recyclers have relied on scrap collected close to their own plants.

The contracts set minimum volumes and a price formula linked to published oxide prices, with a discount for magnets that arrive still inside their motors. Dismantlers say the fixed terms make it worth training staff to remove and sort magnets rather than shredding whole units.

- Volumes are small for now, measured in tens of tonnes a year.
- Shipments must carry paperwork showing where each batch came from.
- Both recyclers plan to add capacity if the first year's supply holds up.`,
	},
	{
		slug: "annual-quota-outlook-for-the-year-ahead",
		title: "What to watch in rare-earth quotas for the year ahead",
		summary:
			"A preview of the signals analysts will follow as next year's mining and smelting allocations take shape, from first-batch timing to export licence turnaround.",
		region: "china",
		topic: "policy",
		authors: ["ines-calloway"],
		status: "published",
		publishedAt: { daysFromNow: 30 },
		bodyMarkdown: `The first allocations of the year for rare-earth mining and smelting are usually the most closely watched. Analysts say they set the tone for pricing and for how aggressively overseas buyers build stock.

Three signals stand out this time: the timing of the first batch, any change in the balance between light and heavy elements, and how quickly export licences are processed in the opening weeks. Each has moved markets on its own in past years.

Buyers are also watching for changes in how technology and equipment controls are applied. Those rules affect plans for new plants abroad and may matter more over the long term than any single year's quota.`,
	},
];

export const seedPages: SeedPage[] = [
	{
		slug: "about",
		title: "About Samarium",
		bodyMarkdown: `Samarium is the news site of **samarium.dev**, a software development company. We publish short, dated articles on technology supply chains: rare earths, permanent magnets, recycling, chips and the policies that shape them.

The site is also our own showcase. It is server-rendered at the edge on Cloudflare Workers, written in TypeScript, and built to load quickly on any connection. Everything you see here, from the article pages to the topic and region listings, is the kind of work we build for clients.

We chose supply chains as a subject because it is where much of our client work happens. Manufacturers, recyclers and analysts need to track materials, suppliers and regulations across many sources, and they need tools that stay fast and dependable as the data grows.

The articles on this site are sample content, written to demonstrate the platform. They describe plausible developments in general terms and should not be read as financial, legal or procurement advice.`,
	},
	{
		slug: "services",
		title: "Services",
		bodyMarkdown: `samarium.dev is a small software development company. We design, build and run fast web platforms and data systems, with a particular focus on teams working in manufacturing and materials supply chains.

Our main areas of work:

- **Edge web platforms.** Server-rendered sites and APIs on Cloudflare Workers, written in TypeScript, with low latency for readers anywhere.
- **Data pipelines.** Ingesting, cleaning and joining trade data, supplier records and regulatory notices into reliable, queryable datasets.
- **Supply-chain tracking tools.** Chain-of-custody and traceability applications that follow materials from source to finished part.
- **Publishing systems.** Lightweight content platforms for newsrooms, industry associations and research groups.

We work in small, focused engagements. A typical project starts with a short discovery phase, moves to a working prototype within weeks, and ends with a system your own team can operate, with documentation and tests included.

This news site is built on the same stack we offer clients. If you would like something similar, or need help with a supply-chain data problem, get in touch through samarium.dev.`,
	},
];

const CREDIT = "Illustration: Samarium";

// Lead pictures for more than half of the articles. Each is drawn at seed time (images.ts) and its
// alt text says what the drawing shows; the charts carry made-up values, and say so.
export const seedPictures: SeedPicture[] = [
	{
		article: "export-licensing-widens-for-heavy-rare-earths",
		spec: {
			kind: "map",
			seed: 7,
			regions: 14,
			palette: [
				[143, 170, 130],
				[214, 196, 150],
				[170, 186, 150],
				[198, 172, 128],
			],
			highlight: [190, 58, 52],
			background: [226, 236, 242],
		},
		alt: "Abstract map-like pattern of irregular regions in muted greens and sand colours, separated by thin white borders, with one region in red, inside a pale blue margin.",
		caption: "An abstract map of regions; not a real map.",
		credit: CREDIT,
	},
	{
		article: "federal-grants-target-mine-to-magnet-gaps",
		spec: { kind: "bars", values: [3, 5, 2, 6, 4, 7], bar: [22, 110, 120], background: [240, 242, 244] },
		alt: "Bar chart of six dark teal bars of different heights on a light grey background, with axis lines and the label 'Illustrative data'.",
		caption: "Illustrative chart: the bars show no real figures.",
		credit: CREDIT,
	},
	{
		article: "hydrogen-decrepitation-pilot-line-starts-trials",
		spec: {
			kind: "rings",
			rings: 6,
			colours: [
				[196, 120, 64],
				[150, 156, 164],
			],
			background: [28, 36, 64],
		},
		alt: "Concentric rings alternating copper and grey around a dark centre on a navy background.",
		caption: "A stylised ring magnet in cross-section.",
		credit: CREDIT,
	},
	{
		article: "wound-field-motors-return-in-compact-evs",
		spec: {
			kind: "rings",
			rings: 8,
			colours: [
				[184, 44, 48],
				[214, 218, 224],
			],
			background: [248, 246, 240],
		},
		alt: "Eight concentric rings alternating red and silver around a dark centre on an off-white background.",
		caption: "A stylised motor rotor in cross-section.",
		credit: CREDIT,
	},
	{
		article: "separation-plants-expand-as-wind-demand-holds",
		spec: {
			kind: "plant",
			sky: [
				[238, 160, 92],
				[250, 226, 190],
			],
			ground: [44, 40, 48],
			chimneys: 3,
		},
		alt: "Dark silhouette of an industrial plant with three chimneys, low buildings and a mine headframe joined by a conveyor, against hills and an orange sky fading to pale yellow.",
		caption: "A processing plant and mine headframe, drawn as a silhouette.",
		credit: CREDIT,
	},
	{
		article: "europe-weighs-shared-rare-earth-stockpile",
		spec: {
			kind: "map",
			seed: 21,
			regions: 12,
			palette: [
				[92, 128, 176],
				[130, 160, 200],
				[70, 104, 150],
				[160, 184, 214],
			],
			highlight: [232, 184, 60],
			background: [236, 240, 246],
		},
		alt: "Abstract map-like pattern of irregular regions in shades of blue, separated by thin white borders, with one region in gold, inside a pale grey margin.",
		caption: "An abstract map of regions; not a real map.",
		credit: CREDIT,
	},
	{
		article: "switched-reluctance-motors-move-closer-to-production",
		spec: {
			kind: "rings",
			rings: 4,
			colours: [
				[54, 110, 190],
				[236, 240, 246],
			],
			background: [44, 52, 64],
		},
		alt: "Four wide concentric rings alternating blue and white around a dark centre on a slate grey background.",
		caption: "A stylised motor in cross-section.",
		credit: CREDIT,
	},
	{
		article: "quota-watchers-read-signals-in-quarterly-allocations",
		spec: { kind: "bars", values: [5, 6, 4, 7, 6, 8, 7, 9], bar: [178, 52, 44], background: [250, 244, 230] },
		alt: "Bar chart of eight red bars of different heights on a cream background, with axis lines and the label 'Illustrative data'.",
		caption: "Illustrative chart: the bars show no real quota figures.",
		credit: CREDIT,
	},
	{
		article: "iron-nitride-magnets-reach-generator-test-stands",
		spec: {
			kind: "turbines",
			sky: [
				[92, 150, 210],
				[200, 226, 244],
			],
			ground: [84, 140, 80],
			turbines: 3,
			sea: false,
		},
		alt: "Three white wind turbines of different sizes on rolling green hills under a blue sky drawn in flat bands.",
		caption: "Wind turbines, drawn as a flat illustration.",
		credit: CREDIT,
	},
	{
		article: "offshore-wind-buyers-seek-traceable-magnets",
		spec: {
			kind: "turbines",
			sky: [
				[120, 140, 160],
				[214, 222, 230],
			],
			ground: [30, 60, 100],
			turbines: 5,
			sea: true,
		},
		alt: "Five white wind turbines standing in a dark blue sea with pale wave lines, under a grey-blue sky drawn in flat bands.",
		caption: "An offshore wind farm, drawn as a flat illustration.",
		credit: CREDIT,
	},
	{
		article: "magnet-makers-close-the-loop-on-production-swarf",
		spec: {
			kind: "plant",
			sky: [
				[96, 70, 130],
				[236, 170, 170],
			],
			ground: [36, 30, 44],
			chimneys: 2,
		},
		alt: "Dark silhouette of a factory with two chimneys, low buildings and a headframe joined by a conveyor, against hills and a purple sky fading to pink.",
		caption: "A magnet plant, drawn as a silhouette.",
		credit: CREDIT,
	},
	{
		article: "officials-signal-longer-support-for-stockpiles-and-offtake",
		spec: { kind: "bars", values: [4, 4, 5, 6, 6], bar: [96, 72, 150], background: [255, 255, 255] },
		alt: "Bar chart of five purple bars, rising gently from left to right, on a white background, with axis lines and the label 'Illustrative data'.",
		caption: "Illustrative chart: the bars show no real figures.",
		credit: CREDIT,
	},
	{
		article: "charger-makers-hedge-gallium-exposure",
		spec: {
			kind: "chip",
			background: [
				[60, 160, 160],
				[16, 60, 70],
			],
			chip: [24, 24, 28],
			pins: [200, 204, 210],
		},
		alt: "A square black chip with eight silver pins on each side and a silver dot in one corner, centred on a background of teal bands that darken towards the bottom.",
		caption: "A power chip, drawn as a flat illustration.",
		credit: CREDIT,
	},
];

// Two public corrections, each a day or so after its article appeared.
export const seedCorrections: SeedCorrection[] = [
	{
		article: "export-licensing-widens-for-heavy-rare-earths",
		note: "An earlier version of this article said licences under the notice are issued per customer; they are issued per contract.",
		at: "2025-03-12T09:20:00Z",
	},
	{
		article: "iron-nitride-magnets-reach-generator-test-stands",
		note: "An earlier version of this article described the test machine as a utility-scale turbine generator; it is a small wind generator, and no utility-size design has been tested.",
		at: "2026-05-01T13:05:00Z",
	},
];
