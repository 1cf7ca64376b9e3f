package demo

import "dateline/content"

// cityStories are the City Hall and Transport desk's stories.
func cityStories() []story {
	return []story{
		{
			key:        "council-budget",
			on:         at(19, 23, 10),
			headline:   "Council passes a leaner budget after a late-night session",
			standfirst: "Port Ellis will spend less on offices and more on the sea wall and school buildings next year, after councillors sat until almost midnight.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"City Hall", "Business"},
			meta:       "Port Ellis council approves next year's budget: where the money goes, line by line.",
			photos: []photo{
				{scene: sceneSkyline, light: atNight, caption: "City Hall's windows were still lit as the final vote was taken.", credit: "© Lena Corvo/Harbour Gazette", alt: "Office towers lit up at night beside the water"},
			},
			links: []link{
				{kind: content.LinkOtherMedia, title: "How a city budget is made, explained", url: "https://www.example.com/explainers/city-budgets"},
				{kind: content.LinkPartner, title: "Coastal towns weigh the cost of rising seas", url: "https://partner.example.org/coast/rising-seas-costs"},
			},
			body: `Port Ellis City Council approved a budget of €212 million for the coming year shortly before midnight on Tuesday, after a session that ran for more than seven hours.

The plan trims spending on council offices and consultants and moves the savings into the sea wall along the Saltings and repairs to four primary schools.

## Where the money goes

| Area | This year | Next year | Change |
|---|---:|---:|---:|
| Schools and libraries | €58.0m | €61.5m | +6% |
| Roads, trams and ferries | €47.2m | €46.8m | −1% |
| Sea defences | €9.4m | €14.9m | +59% |
| Parks and culture | €12.1m | €12.3m | +2% |
| Council offices | €31.6m | €27.0m | −15% |

Mayor Odile Brannock said the figures reflected "a town that knows where the water is coming from". The opposition leader, Hamish Orrery, called the office cuts "a paper saving" that would return as overtime and agency staff.

## What residents will notice

Council tax rises by 2.4 per cent, below the 3 per cent councillors had been warned to expect in the autumn. Parking charges in the Old Quay car parks stay as they are, and the night bus to Marrowby keeps its Sunday service after a petition signed by more than 3,000 people.

Councillors also agreed to publish a quarterly report on spending against the plan, a change proposed by the audit committee after last year's overspend on the harbour footbridge.

The budget takes effect on the first of next month.`,
		},
		{
			key:        "mayor-seawall",
			on:         at(12, 12, 0),
			headline:   "Mayor backs a €40m sea wall for the Saltings",
			standfirst: "Odile Brannock says the low-lying district cannot wait for another winter like the last one.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"City Hall", "Harbour"},
			photos: []photo{
				{scene: sceneStorm, light: underCloud, caption: "Waves top the old wall at the Saltings during last winter's storms.", credit: "© Abel Strand/Harbour Gazette", alt: "A grey wave breaking in white spray over a dark sea wall"},
				{scene: sceneSea, light: byDay, caption: "The Saltings shore at calm water, where the new wall would run.", credit: "© Abel Strand/Harbour Gazette", alt: "A calm sea with sailing boats and a lighthouse on a headland"},
			},
			links: []link{
				{kind: content.LinkOtherMedia, title: "What a modern sea wall looks like", url: "https://www.example.com/engineering/sea-walls"},
			},
			body: `The mayor of Port Ellis has thrown her support behind a €40 million plan to replace the sea wall that protects the Saltings, the low-lying district where about 4,000 people live between the marsh and the harbour.

Speaking on the steps of City Hall, Odile Brannock said the existing wall, most of it built in the 1950s, had been overtopped eleven times last winter.

> "We have sandbags in doorways every other month. That is not a plan, that is a habit. The Saltings deserves a wall built for the sea we have now, not the sea our grandparents had."

The proposal, drawn up by council engineers with the Harbour Board, would raise the wall by 1.2 metres and set it back from the shore in places, leaving room for a strip of salt marsh that absorbs the force of the waves.

## Who pays

The council has set aside €14.9 million in next year's budget. The rest would come from a national coastal defence fund, which opens for applications in the spring, and from the Harbour Board, whose warehouses on the North Mole also flood.

Residents' groups welcomed the plan but asked for a say in its design. "We want a wall, not a fortress," said Grace Holloway of the Saltings Residents' Association. "People walk their dogs along there. Children learn to ride bikes along there."

Work could begin in two years if the funding is agreed. A public exhibition of the designs opens at the Saltings community hall next week.`,
		},
		{
			key:        "parking-permits",
			on:         at(6, 9, 15),
			headline:   "Residents' parking permits go digital in Cobble Hill",
			standfirst: "Paper permits on dashboards will be replaced by number-plate checks from the start of next month.",
			place:      "PORT ELLIS",
			byline:     "By Jonah Pike",
			tags:       []string{"City Hall", "Transport"},
			photos: []photo{
				{scene: sceneSkyline, light: atDusk, caption: "Cobble Hill's streets, where about 2,300 permits are issued each year.", credit: "© Nia Fairweather/Harbour Gazette", alt: "City buildings above the water at dusk"},
			},
			body: `Drivers in Cobble Hill will no longer need to display a paper permit from the start of next month, when the council switches the district's residents' parking to a digital system.

Wardens will check number plates with handheld devices instead. Residents can apply, renew and add visitor days online or at the council's office on Kestrel Street, which will keep paper applications for those who want them.

## What changes

- Permits are linked to a number plate, not a piece of paper.
- Visitor days can be bought by the day, up to 60 a year, instead of in books of ten.
- A permit moves with you if you change car; it no longer needs to be reissued.
- The price stays at €48 a year for the first car.

Councillor Leontine Vasquez-Hale, who chairs the transport committee, said the change would save about €30,000 a year in printing and postage. "And nobody will get a ticket because their permit slid off the dashboard," she said.

Some residents raised concerns at a meeting at the Cobble Hill library about older neighbours who do not use the internet. The council said staff would visit anyone who could not come to the office, and that permits would be renewed automatically for the first year.

If the scheme works, it will be extended to Northgate and the Old Quay next year.`,
		},
		{
			key:        "tram-route",
			on:         at(9, 17, 0),
			featured:   true,
			headline:   "Tram extension to Northgate clears its planning hurdle",
			standfirst: "The 3.4-kilometre line would put 11,000 more people within a ten-minute walk of a tram stop.",
			place:      "PORT ELLIS",
			byline:     "By Jonah Pike",
			tags:       []string{"Transport", "City Hall"},
			meta:       "The Northgate tram extension wins planning approval: route, stops, costs and when it could open.",
			photos: []photo{
				{scene: sceneRails, light: underCloud, caption: "The existing line at the Wend Bridge stop, where the extension would branch off.", credit: "© Lena Corvo/Harbour Gazette", alt: "Tram tracks running straight towards a low skyline under a pale sky"},
				{scene: sceneSkyline, light: atDawn, caption: "Northgate seen from the estuary.", credit: "© Lena Corvo/Harbour Gazette", alt: "A waterfront skyline with the sun reflected in the water"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Residents' parking permits go digital in Cobble Hill", to: "parking-permits"},
				{kind: content.LinkOtherMedia, title: "Why mid-sized cities are building trams again", url: "https://www.example.com/transport/tram-revival"},
			},
			body: `Plans to extend Port Ellis's tram line to Northgate were approved by the council's planning committee on Thursday by seven votes to two, clearing the last local hurdle for a project first proposed eleven years ago.

The 3.4-kilometre extension would branch from the existing line at the Wend Bridge stop and run along Ropewalk Road to a new terminus beside Northgate market, with five stops on the way.

## Cost and timing

The line is expected to cost €96 million, most of it from a national fund for urban transport. Construction could start next spring and the first trams run two and a half years later, the council said.

Trams would run every seven minutes at peak times and every twelve in the evenings. The transport committee estimates 9,000 journeys a day within three years of opening.

## Objections

Traders on Ropewalk Road fear two years of roadworks. "Half of my customers come by car and park outside," said Piet Anholt, who runs a hardware shop near the proposed Dyer's Lane stop. "If they can't park, they'll drive to the retail park instead."

The council has promised a fund of €1.5 million to compensate businesses that can show they lost trade during construction, and says it will build the line in sections so that no stretch of road is closed for more than four months.

Leontine Vasquez-Hale, who chairs the transport committee, said the extension was "the most important thing this council will build in a generation". The two councillors who voted against said the money would be better spent on buses.`,
		},
		{
			key:        "ferry-timetable",
			on:         at(17, 7, 45),
			headline:   "Larch Island ferry adds winter sailings",
			standfirst: "Islanders will have an evening boat home on weekdays for the first time since the service was cut four years ago.",
			place:      "PORT ELLIS",
			byline:     "Harbour Gazette staff",
			tags:       []string{"Transport", "Harbour"},
			photos: []photo{
				{scene: sceneSea, light: byDay, caption: "The crossing to Larch Island takes 35 minutes in fair weather.", credit: "© Abel Strand/Harbour Gazette", alt: "Small boats on open water with a lighthouse on a rocky headland"},
			},
			body: `The ferry to Larch Island will run two extra sailings on weekdays through the winter, the Harbour Board announced on Monday, restoring an evening boat that islanders have campaigned for since it was withdrawn four years ago.

From next week the last crossing from the Old Quay will leave at 21:15 instead of 18:40, and a new early boat will leave the island at 06:20, in time for the first trams into the city centre.

About 600 people live on Larch Island year-round. Many work in Port Ellis, and some said the early finish had forced them to give up jobs in shops, restaurants and the hospital, where shifts end after the last boat left.

"I have been sleeping on my sister's sofa three nights a week," said Maeve Kittering, a nurse at Port Ellis General. "This gives me my evenings back."

## Paid for by a longer season

The Harbour Board said the extra sailings would cost about €210,000 a year. It will be covered partly by the council and partly by extending the summer timetable, with its higher fares for visitors, by two weeks at each end.

Fares for islanders are unchanged at €2.60 each way, or €70 for a monthly pass.

The board will review the timetable in March. Tomas Veer, the harbourmaster, said that if the evening boats were well used they would become permanent. "The boat is the island's road," he said. "You don't close a road at twenty to seven."`,
		},
		{
			key:        "bridge-closure",
			on:         at(4, 16, 30),
			headline:   "Wend Bridge to close at night for three weeks of repairs",
			standfirst: "Drivers will be diverted through Marrowby between 22:00 and 05:00 while expansion joints are replaced.",
			place:      "PORT ELLIS",
			byline:     "By Jonah Pike",
			tags:       []string{"Transport"},
			photos: []photo{
				{scene: sceneBridge, light: byDay, caption: "The Wend Bridge carries about 28,000 vehicles a day.", credit: "© Nia Fairweather/Harbour Gazette", alt: "A red steel arch bridge over a wide estuary"},
			},
			body: `The Wend Bridge, the main road link between the city centre and the northern districts, will close to traffic every night for three weeks from Monday while engineers replace the joints that let the deck expand and contract.

The bridge will be shut from 22:00 to 05:00, Sunday night to Friday morning. Trams will keep running until the last service at 00:30, and pedestrians and cyclists can cross at all times on the downstream footway.

## Diversions

Drivers will be sent round through Marrowby, a detour of about 14 kilometres. The council has asked satellite navigation providers to update their maps, and signs will go up on the approach roads this weekend.

Night buses N2 and N7 will run on the diversion and leave their first stops ten minutes earlier.

Emergency vehicles will be able to cross at any time: engineers will keep one lane passable and can lay steel plates over the works within five minutes.

## Why now

The joints were last replaced in 2004 and inspections in the summer found cracking in two of them. Engineers said the bridge was safe but that waiting another winter would mean bigger repairs and longer closures.

"Nobody likes a closure, but a planned one at night is much better than an emergency one at rush hour," said Colm Ashgrove, the council's bridges engineer.

The work costs €1.9 million and is due to finish before the Christmas market opens on the Old Quay.`,
		},
		{
			key:        "cycle-lanes",
			on:         at(1, 12, 0),
			headline:   "Traffic falls on Kestrel Street after protected cycle lanes open",
			standfirst: "The first counts since the kerbs went in show more bikes, fewer cars and buses that run closer to time.",
			place:      "PORT ELLIS",
			byline:     "By Priya Osei-Hart",
			tags:       []string{"Transport"},
			meta:       "First traffic counts on Kestrel Street since the protected cycle lanes opened: what changed.",
			photos: []photo{
				{scene: sceneSkyline, light: atDusk, caption: "Kestrel Street runs from the Old Quay to the station.", credit: "© Priya Osei-Hart/Harbour Gazette", alt: "City buildings beside the water under an evening sky"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Wend Bridge to close at night for three weeks of repairs", to: "bridge-closure"},
			},
			body: `Three months after the council separated cyclists from traffic on Kestrel Street with low kerbs, the first official counts suggest the street has changed more than either its supporters or its critics predicted.

Counters installed at both ends of the street recorded, on an average weekday:

- **4,100 bicycle trips**, up from 1,700 before the lanes opened;
- **9,300 cars and vans**, down from 12,800;
- buses on route 4 arriving within two minutes of the timetable **81 per cent** of the time, up from 64 per cent;
- no change in the number of deliveries to shops, which now use four loading bays.

The council had expected car traffic to move to neighbouring streets. Counts on Tanner's Row and Gull Lane show small increases, of about 600 vehicles a day between them, but most of the fall appears to be people making fewer or different journeys.

## Mixed views from traders

Shopkeepers are divided. Wilma Tansy, whose fish shop has been on Kestrel Street for 30 years, said trade was "about the same, maybe a bit better on Saturdays". Others said older customers found it harder to park nearby.

The council will publish a full review in the summer, including air quality measurements and a survey of 1,000 residents.

"Numbers are only part of the story," said councillor Leontine Vasquez-Hale. "We also want to know whether people feel safer, and whether they would let their children cycle to school here."`,
		},
	}
}
