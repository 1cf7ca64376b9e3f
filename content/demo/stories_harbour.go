package demo

import "dateline/content"

// harbourStories are the Harbour and Weather desk's stories.
func harbourStories() []story {
	return []story{
		{
			key:        "dredging",
			on:         at(15, 11, 20),
			headline:   "Harbour dredging brings up an 18th-century anchor",
			standfirst: "The two-metre iron anchor was found under the silt of the inner basin and is on its way to the Marine Institute's conservation tank.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Harbour", "Science"},
			photos: []photo{
				{scene: sceneHarbour, light: byDay, caption: "The dredger worked the inner basin for six weeks this autumn.", credit: "© Abel Strand/Harbour Gazette", alt: "Cranes and stacked containers on a quay beside calm water"},
				{scene: sceneHarbour, light: atDawn, caption: "The anchor was lifted at first light on Wednesday.", credit: "© Abel Strand/Harbour Gazette", alt: "A harbour quay with cranes silhouetted against the dawn"},
			},
			body: `A dredger clearing silt from the inner basin of Port Ellis harbour has brought up an iron anchor that archaeologists believe is more than 250 years old.

The anchor, just over two metres long and weighing about 400 kilograms, was caught in the dredger's bucket on Wednesday morning about 60 metres off the Old Quay. Work was stopped and the Harbour Board called in the Port Ellis Marine Institute.

"The shape of the arms and the way the shank was forged point to the middle of the eighteenth century," said Dr Ines Calloway, who leads the institute's coastal archaeology team. "That is when the harbour was first deepened for the salt trade, so it fits what we know."

## A slow bath

Iron that has lain in seawater for centuries is full of salts that make it crumble once it dries. The anchor will spend between two and four years in a tank of fresh water and mild alkali at the institute while the salts are drawn out.

The public will be able to watch: the tank is in the institute's visitor hall, which is open on weekend afternoons.

## Dredging resumes

The Harbour Board said dredging would resume next week under the eye of an archaeologist, as it did when a cannon was found off the North Mole in 2009. The work is needed to keep the basin deep enough for the Larch Island ferry at low tide.

Tomas Veer, the harbourmaster, said he hoped the anchor would eventually go on display on the quay. "It has been in the harbour longer than any of us," he said. "It should stay here."`,
		},
		{
			key:        "fish-market",
			on:         at(11, 6, 10),
			headline:   "The fish market's dawn auction moves to a new hall",
			standfirst: "After 70 years in a draughty shed on the North Mole, buyers and boats have a cold store, a viewing gallery and a digital board.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Harbour", "Business"},
			photos: []photo{
				{scene: sceneHarbour, light: atDawn, caption: "Boats unload beside the new hall before the 05:30 auction.", credit: "© Lena Corvo/Harbour Gazette", alt: "A quay at dawn with cranes and containers beside the water"},
				{scene: sceneSea, light: byDay, caption: "The inshore fleet heads out after the auction.", credit: "© Lena Corvo/Harbour Gazette", alt: "Sailing boats on a calm sea near a lighthouse"},
			},
			body: `The bell rang at 05:30 on Monday as it has every weekday for 70 years, but for the first time it rang in the new fish hall on the North Mole, a steel and timber building that replaces the shed where Port Ellis has sold its catch since the 1950s.

About 40 buyers, from fishmongers to restaurant suppliers, crowded round a digital board showing each lot's species, weight and boat. Bids are still shouted, but the board records the winner and sends the invoice.

## What is new

The hall has a cold store that keeps fish at two degrees from the moment it leaves the boat, which the Harbour Board says will add a day to its shelf life and a few euros to its price. A gallery above the floor is open to visitors, who until now could watch only from the car park.

"My grandfather sold fish in the old shed, and my father, and me," said Aurelio Fenn, who skippers the trawler *Dawn Petrel*. "It was cold, it leaked, and we loved it. But this is better for the fish, and the fish is what we sell."

## Cost

The hall cost €6.8 million, shared between the Harbour Board and a regional fund for fishing communities. The old shed will be kept and turned into a covered market for local producers, opening in the summer.

The auction is open to the public from the gallery every weekday morning.`,
		},
		{
			key:        "cruise-berth",
			on:         at(7, 13, 25),
			headline:   "Harbour Board rejects a second cruise berth",
			standfirst: "The board says a berth for the largest ships would crowd out ferries and fishing boats in the outer harbour.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"Harbour", "City Hall"},
			meta:       "Port Ellis Harbour Board votes against a second cruise ship berth. The reasons, and what happens next.",
			correction: "An earlier version of this story said the board voted seven to two. The vote was six to three.",
			photos: []photo{
				{scene: sceneHarbour, light: atDusk, caption: "The outer harbour, where the berth would have been built.", credit: "© Nia Fairweather/Harbour Gazette", alt: "Container stacks and cranes on a quay at dusk"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Mayor backs a €40m sea wall for the Saltings", to: "mayor-seawall"},
				{kind: content.LinkPartner, title: "Small ports and the cruise question", url: "https://partner.example.org/ports/cruise-question"},
			},
			body: `The Port Ellis Harbour Board has voted against building a second berth for cruise ships, turning down a proposal that supporters said would have brought 60,000 extra visitors a year.

The berth, proposed by a consortium of cruise lines, would have been able to take ships of up to 300 metres, twice the length of any that call at Port Ellis today. It would have been built on reclaimed land at the end of the outer harbour.

Board members voted six to three against, after a report from the harbourmaster warned that large ships turning in the outer basin would force ferries and fishing boats to wait, sometimes for an hour.

"A harbour is a shared space," said Tomas Veer. "We can welcome cruise visitors, and we do, but not by pushing out the boats that keep the town fed and the islands connected."

## Divided town

The decision was welcomed by the fishermen's co-operative and the Larch Island community council. Hotel and restaurant owners were disappointed. "Every ship that goes somewhere else is a day of trade we do not get," said Sunniva Roe of the Old Quay traders' association.

The consortium said it would consider a smaller design. The board said it would look at any new proposal, but that the existing berth, which takes about 40 ships a year, could handle more calls if they were spread across the season.

The mayor, who does not sit on the board, said she respected its decision and wanted the harbour's future discussed alongside the sea defences planned for the Saltings.`,
		},
		{
			key:        "lighthouse",
			on:         at(3, 10, 45),
			headline:   "The keeper's cottage at Sallow Point opens to visitors",
			standfirst: "A volunteer trust has restored the cottage where three generations of the Marrow family kept the light burning.",
			place:      "SALLOW POINT",
			byline:     "By Daniel Moss",
			tags:       []string{"Harbour", "Culture"},
			photos: []photo{
				{scene: sceneSea, light: atDusk, caption: "The Sallow Point light has guided boats into Port Ellis since 1862.", credit: "© Daniel Moss/Harbour Gazette", alt: "A red and white striped lighthouse on a dark headland above the sea"},
				{scene: sceneSea, light: byDay, caption: "The view from the cottage's kitchen window.", credit: "© Daniel Moss/Harbour Gazette", alt: "Open sea with small sailing boats under a wide sky"},
			},
			body: `For 94 years someone from the Marrow family lived in the low stone cottage at the foot of the Sallow Point lighthouse, climbing the 112 steps every evening to light the lamp. From Saturday, anyone can step inside.

The Sallow Point Trust, a group of about 80 volunteers, has spent four years restoring the cottage to the way it looked in the 1950s, shortly before the light was automated and the last keeper, Edwin Marrow, moved to the town.

Visitors can see the keeper's log books, the brass oil cans, and the kitchen where Edwin's mother baked bread for the lifeboat crew on stormy nights. A small room upstairs tells the story of the wrecks the light could not prevent, including the schooner *Elsabet*, lost with all hands in 1881.

## Memories

Edwin's daughter, Rosalind Marrow-Pike, now 78, was born in the cottage. She cried when she saw the restored kitchen. "They found the same tiles," she said. "I used to play marbles on that floor while my father slept in the afternoons."

The trust raised €310,000 for the work, most of it from small donations and a crowdfunding appeal. The lighthouse itself still belongs to the national lighthouse service and remains closed to the public.

The cottage is open from Thursday to Sunday, 10:00 to 16:00. Entry is free; donations are welcome. The coastal path from Gullhaven is the best way to get there, as parking at the point is limited to six cars.`,
		},
		{
			key:        "storm-warning",
			on:         at(14, 6, 30),
			headline:   "Storm Hesper to bring 100 km/h gusts to the coast",
			standfirst: "The weather service has issued an orange warning for wind and coastal flooding from Thursday evening.",
			place:      "PORT ELLIS",
			byline:     "Harbour Gazette staff",
			tags:       []string{"Weather"},
			photos: []photo{
				{scene: sceneStorm, light: underCloud, caption: "Forecasters expect waves of up to seven metres off Sallow Point.", credit: "© Kit Marsh/Agency", alt: "Rough grey sea and a wave breaking over a sea wall in driving rain"},
			},
			body: `Storm Hesper is expected to reach the coast on Thursday evening with gusts of up to 100 kilometres an hour and a risk of flooding where high tide meets the storm surge, the national weather service said on Wednesday.

An orange warning is in force from 18:00 on Thursday until noon on Friday. High tide at Port Ellis is at 21:40 on Thursday, when the surge could raise the sea by up to 70 centimetres above the forecast tide.

## What to expect

Ruth Abernay, a forecaster at the weather service, said the strongest winds would arrive in the three hours around high tide. "The timing is the problem," she said. "A storm at low tide is a windy night. The same storm at a spring high tide is a flood."

The council will close the promenade and the car park at the Saltings from 16:00 on Thursday and hand out sandbags at the Saltings community hall from noon. The Larch Island ferry has cancelled its Thursday evening and Friday morning sailings.

## Advice

- Move cars away from the seafront and the Saltings before Thursday afternoon.
- Tie down or bring in garden furniture and bins.
- Do not walk on the sea wall or the North Mole to watch the waves.
- Check on neighbours who may need help.

The emergency number for flooding is staffed around the clock. Schools expect to open as normal on Friday but will post any changes on their websites by 07:00.`,
		},
		{
			key:        "storm-cleanup",
			on:         at(13, 10, 15),
			headline:   "Clean-up begins after Storm Hesper floods the Saltings",
			standfirst: "Around 120 homes took in water overnight, but nobody was hurt, the council said.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"Weather", "City Hall"},
			photos: []photo{
				{scene: sceneStorm, light: underCloud, caption: "The storm at its height on Thursday evening.", credit: "© Abel Strand/Harbour Gazette", alt: "Spray from a huge wave over the sea wall under dark cloud"},
				{scene: sceneSkyline, light: atDawn, caption: "Calm returned to the harbour by Friday morning.", credit: "© Abel Strand/Harbour Gazette", alt: "A quiet waterfront skyline at dawn above still water"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Storm Hesper to bring 100 km/h gusts to the coast", to: "storm-warning"},
				{kind: content.LinkOtherMedia, title: "How storm surges work", url: "https://www.example.com/science/storm-surges"},
			},
			body: `Residents of the Saltings spent Friday pumping water out of kitchens and hauling soaked carpets into the street after Storm Hesper drove the sea over the district's wall for the twelfth time in a year.

The council said about 120 homes had water inside, most of them on Ferry Row and Marsh Street, where the wall is lowest. Nobody was hurt. Forty people spent the night at the community hall, which the council opened as a rest centre.

The highest gust recorded at the harbour was 104 kilometres an hour, at 21:52. The sea peaked 64 centimetres above the predicted tide.

## Help for households

The council will collect flood-damaged furniture free of charge until the end of next week and has opened a hardship fund of €250,000 for households without insurance. Applications can be made at the community hall.

Volunteers from the rowing club and the Rovers supporters' trust spent the morning clearing seaweed and gravel from the promenade.

"This is what we do in the Saltings," said Bernadette Quayle, whose ground floor flooded for the third time since she moved in. "We mop, we complain, we have a cup of tea. But I'm tired of mopping."

The storm has added urgency to plans for a new sea wall. The mayor is expected to set out her position in the coming days.

The Larch Island ferry resumed at noon. The promenade will stay closed until engineers have checked the railings.`,
		},
		{
			key:        "sea-fog",
			on:         at(5, 10, 0),
			headline:   "Why the sea fog keeps rolling in this spring",
			standfirst: "A warm spell over cold water has given Port Ellis its foggiest March in the observatory's records. A forecaster explains.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Weather", "Science"},
			meta:       "Why Port Ellis has had so much sea fog this spring: warm air, cold water and a stubborn high.",
			photos: []photo{
				{scene: sceneSea, light: underCloud, caption: "Fog lifts off the bay in the late morning.", credit: "© Nia Fairweather/Harbour Gazette", alt: "A pale sea under an overcast sky with a lighthouse on the headland"},
			},
			body: `If it feels as though you have not seen Larch Island from the promenade for weeks, you are not imagining it. The Gull Hill observatory has recorded fog on 17 of the last 25 days, the most for the time of year since its records began.[^1]

The fog is advection fog, the kind that forms when warm, moist air drifts over colder water. "The sea is still at its winter temperature, about eleven degrees," said Ruth Abernay of the national weather service. "The air arriving from the south has been up to eighteen. When that air touches the water it cools from below, and the moisture in it condenses into tiny droplets. You get a cloud sitting on the sea."

## Why it stays

A high-pressure system parked to the west has kept winds light and from the south-west, feeding more warm air over the cold bay day after day. Inland, the ground warms in the afternoon and the fog burns off, which is why Marrowby has had sunshine while the seafront stays grey.

## When it ends

Forecasters expect the pattern to break at the weekend, when a change in the wind should push the fog out to sea. It will probably return on warm days until the water catches up, usually in May.

The Harbour Board reminds small-boat users that fog can roll in within minutes. The foghorn at Sallow Point, silent on clear days, sounds every 30 seconds while visibility is below two kilometres.

[^1]: The observatory has kept daily weather records since 1921, with a gap during the war years.`,
		},
	}
}
