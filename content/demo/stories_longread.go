package demo

import "dateline/content"

// longRead is the weekend long read, the one story in three pages.
func longRead() []story {
	return []story{
		{
			key:        "tide-and-town",
			on:         at(6, 7, 0),
			featured:   true,
			headline:   "The tide and the town: how Port Ellis learned to live with the sea",
			standfirst: "For three centuries the sea made Port Ellis rich and, every few winters, tried to take it back. As the city debates a new wall, we look at how it has bargained with the water.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"Harbour", "Weather"},
			meta:       "A long read on Port Ellis and the sea: the salt trade, the great flood of 1957, and the sea wall debate today.",
			photos: []photo{
				{scene: sceneSea, light: atDawn, caption: "The bay from Sallow Point, where the first harbour lights were lit.", credit: "© Lena Corvo/Harbour Gazette", alt: "A wide calm sea at dawn with a lighthouse on the headland"},
				{scene: sceneStorm, light: underCloud, caption: "A winter storm tests the Saltings wall.", credit: "© Abel Strand/Harbour Gazette", alt: "A wave breaking over a sea wall under dark clouds"},
				{scene: sceneHarbour, light: byDay, caption: "The working harbour today.", credit: "© Lena Corvo/Harbour Gazette", alt: "Cranes and containers on the quay beside calm water"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Mayor backs a €40m sea wall for the Saltings", to: "mayor-seawall"},
				{kind: content.LinkRelated, title: "Seagrass meadows return to Fennick Bay", to: "seagrass"},
				{kind: content.LinkRelated, title: "Harbour dredging brings up an 18th-century anchor", to: "dredging"},
				{kind: content.LinkOtherMedia, title: "Living with water: lessons from other coastal cities", url: "https://www.example.com/features/living-with-water"},
				{kind: content.LinkPartner, title: "Archive: the 1957 flood in photographs", url: "https://partner.example.org/archive/1957-flood"},
			},
			body: pages(
				`Stand at the end of the North Mole on a spring tide and you can feel the argument Port Ellis has been having with the sea for three hundred years. On one side, the water that built the town: the fishing boats, the ferry, the container ships nosing up to the cranes. On the other, the same water, pressing at the top of the wall, looking for a way in.

## Salt and silver

The town grew rich on salt. In the 1740s merchants dug pans in the marshes east of the river, let the tide fill them and the summer sun empty them, and shipped the grey crystals to every fishing port on the coast. The harbour was deepened to take their ships; an anchor from that time came up in a dredger's bucket only this autumn.

Salt brought herring, and herring brought the canneries. By 1900 Port Ellis had eleven, and the smell of the smokehouses hung over Northgate from spring to autumn. The Saltings, built on the drained salt pans, housed the people who worked in them.

Nobody then thought of the marsh as protection. It was land waiting to be used.`,
				`## The night of the flood

On a January night in 1957 a northerly gale met a spring tide, and the sea came through the Saltings in twenty minutes. It reached the first-floor windows on Ferry Row. Seventeen people died, most of them elderly, most of them in ground-floor rooms.

Rosalind Marrow-Pike was a small child, living in the keeper's cottage at Sallow Point. "My father went up to the light and didn't come down until morning," she remembers. "We could hear the sea hitting the rocks below the house like a train."

The city's answer was concrete. Over the next decade it built the wall that still protects the Saltings:

1. a 2.8-kilometre wall from the Wend Bridge to Gullhaven;
2. sluice gates at the mouth of the old salt creek;
3. pumps to empty the streets when the gates are shut.

It worked, for a while. Between 1960 and 2000 the wall was topped only four times.`,
				`## A different bargain

In the last year alone it was topped twelve times. The sea is higher, the storms come closer together, and the wall, built for the sea of the 1950s, is too low.

The plan the mayor now backs is not just a higher wall. In places it would step back from the shore and let a strip of salt marsh return, so that the grass and mud take the first blow of the waves. It is, in a way, the landscape the salt merchants drained.

> "We spent two centuries pushing the sea back," says Dr Ines Calloway of the Marine Institute. "Now we are learning to give it a little room, so it doesn't take everything."

In Fennick Bay, seagrass has returned since the moorings were changed, and with it fish that had nearly vanished. The same idea, Calloway argues, could work on land.

Not everyone is convinced. Some residents fear losing their view, their gardens, their homes. The consultation opens next week. Whatever Port Ellis decides, the tide will come in twice a day to hear the answer.`,
			),
		},
	}
}
