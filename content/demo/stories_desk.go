package demo

import (
	"time"

	"dateline/content"
)

// deskStories are the stories not (or no longer) in front of readers:
// drafts, one in review, two scheduled and one withdrawn.
func deskStories() []story {
	return []story{
		{
			key:        "cargo-record",
			state:      content.StatusDraft,
			headline:   "Embargoed: Harbour Board annual report shows a record cargo year",
			standfirst: "Not for publication before the board's press conference. Figures to be checked against the printed report.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Harbour", "Business"},
			photos: []photo{
				{scene: sceneHarbour, light: byDay, caption: "Container traffic on the North Mole.", credit: "© Abel Strand/Harbour Gazette", alt: "Cranes and containers on a quay"},
			},
			body: `**EMBARGO: do not publish until the board's press conference ends.**

Port Ellis harbour handled 2.1 million tonnes of cargo last year, the most in its history, according to the Harbour Board's annual report, which is due to be published on Thursday.

The figure is up 9 per cent on the year before, driven by timber and wind turbine parts shipped through the North Mole. Container traffic was flat.

The board will also announce a surplus of about €4 million, which it plans to put towards the Saltings sea wall.

*To add after the press conference: quotes from the chair and the harbourmaster; the fishing tonnage table; reaction from the co-operative.*`,
		},
		{
			key:        "ribeiro-cafe",
			state:      content.StatusDraft,
			headline:   "Ribeiro's café celebrates 50 years on Kestrel Street",
			standfirst: "Three generations of the Ribeiro family have served coffee, custard tarts and gossip from the same corner since the ferry still ran from the end of the street.",
			place:      "PORT ELLIS",
			byline:     "By Priya Osei-Hart",
			tags:       []string{"Business", "Culture"},
			photos: []photo{
				// The credit is still missing: the story cannot be published
				// until the photographer is named.
				{scene: sceneSkyline, light: atDawn, caption: "Kestrel Street on the morning of the anniversary.", alt: "A row of buildings by the water in early light"},
			},
			body: `Joaquim Ribeiro was nineteen when he opened a café with four tables on the corner of Kestrel Street and Gull Lane. Fifty years later his granddaughter, Inês, runs it, and the four tables have become fourteen.

The custard tarts are still made to his mother's recipe, at 05:00 every morning, in the oven he bought second-hand from a bakery in Marrowby.

*Still to do: interview with Joaquim (Tuesday); photos from the family album; photographer's credit for the lead photo.*`,
		},
		{
			key:      "by-election",
			state:    content.StatusDraft,
			headline: "Who is standing in the Northgate by-election",
			place:    "PORT ELLIS",
			byline:   "By Marta Quell",
			tags:     []string{"City Hall"},
			body: `Nominations close on Friday at noon. Outline:

1. Why there is a by-election (the previous councillor moved away)
2. The candidates, in ballot order, with a short profile of each
3. The issues: the tram extension, the cannery, parking
4. How and where to vote

Candidate replies received so far: three of five.`,
		},
		{
			key:        "waiting-times",
			state:      content.StatusInReview,
			headline:   "Hospital waiting times fall for a third month",
			standfirst: "Port Ellis General says more evening clinics and the new day surgery plans are shortening waits for planned operations.",
			place:      "PORT ELLIS",
			byline:     "Harbour Gazette staff",
			tags:       []string{"Health"},
			photos: []photo{
				{scene: sceneCampus, light: byDay, caption: "Port Ellis General Hospital.", credit: "© Lena Corvo/Harbour Gazette", alt: "A brick building with a clock tower and a path across a lawn"},
			},
			body: `The average wait for a planned operation at Port Ellis General Hospital fell to 14 weeks last month, the third monthly fall in a row and the shortest wait since before the hospital's winter crisis two years ago.

The hospital said evening and Saturday clinics, introduced in the autumn, had cleared about 900 appointments from the list. Waits for hip and knee replacements, the longest, fell from 31 weeks to 26.

Dr Felix Armitage-Rowe, the chief executive, said the hospital wanted to bring all waits under 12 weeks by the end of the year, helped by the day surgery unit due to open in the former maternity wards.

Patients' groups welcomed the figures but said waits for first appointments with specialists, which are not included in the figures, were still too long.

The hospital board will discuss the figures at its public meeting on Tuesday.`,
		},
		{
			key:        "comet-night",
			state:      content.StatusScheduled,
			due:        2 * time.Hour,
			headline:   "Comet night on Gull Hill: the astronomers open their dome",
			standfirst: "The Port Ellis Astronomical Society invites the public to look for the comet its members discovered.",
			place:      "PORT ELLIS",
			byline:     "By Daniel Moss",
			tags:       []string{"Science"},
			photos: []photo{
				{scene: sceneNight, light: atNight, caption: "The observatory dome on Gull Hill.", credit: "© Daniel Moss/Harbour Gazette", alt: "An observatory on a dark hill under a sky full of stars"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Amateur astronomers spot a new comet from Gull Hill", to: "observatory"},
			},
			body: `The Port Ellis Astronomical Society will open its observatory on Gull Hill to the public on Friday night for a chance to see Comet Abara-Lund, the faint comet two of its members discovered last month.

The comet is still far too faint to see with the naked eye, but members will point the society's largest telescope at it and show live images on a screen in the observatory garden, so that visitors do not need to queue at the eyepiece.

Yusuf Abara and Hedda Lund, who spotted the comet, will give short talks at 20:00 and 21:30 about how they found it and what comets are made of.

## Practical details

- Doors open at 19:30; the event ends at 23:00.
- Entry is free. Children are welcome with an adult.
- Bring warm clothes: the hill is exposed and nights are cold.
- If the sky is cloudy, the talks go ahead indoors and the telescopes stay in their boxes.

There is no parking at the observatory. A shuttle minibus will run from the Gull Road tram stop every fifteen minutes.

"We found it from this hill, and we'd like the town to see it from here too," said Ms Lund. "Even if all you see is a smudge, it's a smudge that has travelled for thousands of years to get here."`,
		},
		{
			key:        "council-livestream",
			state:      content.StatusScheduled,
			due:        24 * time.Hour,
			headline:   "Council meetings to be streamed live from next month",
			standfirst: "Every full council and committee meeting will be broadcast online and archived, with subtitles added within a week.",
			place:      "PORT ELLIS",
			byline:     "By Jonah Pike",
			tags:       []string{"City Hall"},
			photos: []photo{
				{scene: sceneSkyline, light: byDay, caption: "City Hall and the civic quarter seen from the estuary.", credit: "© Nia Fairweather/Harbour Gazette", alt: "Waterfront buildings beside calm water"},
			},
			body: `Port Ellis residents will be able to watch their councillors at work from home from next month, when the council begins streaming all full council and committee meetings online.

Cameras are being installed this month in the council chamber and the two committee rooms at City Hall. Recordings will stay online for at least six years, with subtitles added within a week of each meeting.

The change follows a petition signed by about 1,800 residents last year, after the budget meeting ran past midnight in front of a public gallery that holds only 40 people.

"If decisions are made in your name, you should be able to see them being made," said Mayor Odile Brannock. "Not everybody can sit in a gallery on a Tuesday evening."

## What will not be shown

Parts of meetings that deal with confidential matters, such as individual staff cases or commercial contracts, will not be broadcast, as now. The council says these make up less than five per cent of meeting time.

Members of the public who speak at meetings will be told in advance that they will be filmed and can ask not to be shown.

The equipment cost €64,000. Opposition leader Hamish Orrery, who supported the petition, said it was "money well spent, and overdue".`,
		},
		{
			key:        "market-move",
			state:      content.StatusUnpublished,
			on:         at(9, 11, 0),
			headline:   "Kestrel Street market to move to the Old Quay",
			standfirst: "The Saturday market will leave the street it has filled for 60 years for a new site beside the fish hall.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Business"},
			photos: []photo{
				{scene: sceneHarbour, light: underCloud, caption: "The proposed new site beside the fish hall.", credit: "© Lena Corvo/Harbour Gazette", alt: "A quay with cranes and containers by the water"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "The fish market's dawn auction moves to a new hall", to: "fish-market"},
			},
			body: `The Saturday market that has filled Kestrel Street for 60 years is to move to the Old Quay, beside the new fish hall, from the start of the summer, the council has said.

About 70 stallholders sell vegetables, bread, cheese, flowers and second-hand books on Kestrel Street every Saturday. The council said the move would give them more space, covered pitches and access to the cold store in the fish hall.

Some stallholders were unhappy. "Kestrel Street is the market," said one, who has sold honey there for 22 years. "People come for the street as much as for the stalls."

The council said it would consult stallholders before a final decision, and that a smaller market could remain on Kestrel Street on the first Saturday of each month.

The move would coincide with the opening of the covered producers' market in the old fish shed, which the Harbour Board plans for the summer.`,
		},
	}
}
