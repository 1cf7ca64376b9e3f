package demo

import "dateline/content"

// cultureStories are the Culture, Sport and Business desk's stories.
func cultureStories() []story {
	return []story{
		{
			key:        "theatre-season",
			on:         at(16, 19, 30),
			headline:   "Tidewater Theatre opens its season with a play about the fishing fleet",
			standfirst: "\"Nets\" was written with the help of forty fishing families and is performed partly on a real trawler deck.",
			place:      "PORT ELLIS",
			byline:     "By Daniel Moss",
			tags:       []string{"Culture"},
			photos: []photo{
				{scene: sceneHarbour, light: atDusk, caption: "The set borrows its deck from a trawler retired from the North Mole.", credit: "© Nia Fairweather/Harbour Gazette", alt: "Cranes and containers on a quay beside the water at dusk"},
			},
			body: `The Tidewater Theatre opens its autumn season on Friday with *Nets*, a new play about three generations of a Port Ellis fishing family, written by the theatre's director, Benedikt Sorrel, with the help of the people whose lives it portrays.

Sorrel spent eighteen months on the North Mole, in the fishermen's co-operative and in kitchens across the Saltings, recording interviews with about forty fishing families. Lines from those interviews appear word for word in the play.

## A real deck

The set's centrepiece is the deck of the *Brannock Lass*, a trawler retired last year, cut from the hull and lifted into the theatre through its loading doors. The cast of nine learned to mend nets and coil rope from the boat's last skipper, who will be in the audience on opening night.

"I wanted the audience to smell the tar," said Sorrel. "Theatre about working people often tidies them up. These families told me not to tidy anything."

## Sold out, then extended

The three-week run sold out within days of booking opening, and the theatre has added six performances. Twenty tickets for each show are set aside for fishing families, and a relaxed performance for audiences with autism or anxiety is planned for the second Sunday.

The season continues with a touring production of a comedy in November and the theatre's family pantomime, which this year is set on Larch Island, from mid-December.

*Nets* runs from Friday. Tickets cost €12 to €24, with discounts for students and people on low incomes.`,
		},
		{
			key:        "orchestra-tour",
			on:         at(5, 4, 30),
			headline:   "Port Ellis Chamber Orchestra wins over Brantley on its first tour abroad",
			standfirst: "The 24 players ended their concert with a sea shanty arranged by a local composer, and the audience joined in.",
			place:      "BRANTLEY",
			zone:       "America/New_York",
			byline:     "Agency report",
			tags:       []string{"Culture"},
			photos: []photo{
				{scene: sceneSkyline, light: atNight, caption: "Brantley's waterfront on the evening of the concert.", credit: "© Dora Vance/Agency", alt: "A city skyline at night with lit windows above the river"},
				{scene: sceneBridge, light: atDusk, caption: "The orchestra crossed Brantley's river bridge on the way to the hall.", credit: "© Dora Vance/Agency", alt: "An arch bridge over a river at dusk"},
			},
			links: []link{
				{kind: content.LinkOtherMedia, title: "Review: a small orchestra with a big sea in its sound", url: "https://www.example.com/music/port-ellis-chamber-orchestra-review"},
			},
			body: `The Port Ellis Chamber Orchestra played its first concert outside Europe on Tuesday night, filling Brantley's riverside concert hall and earning two encores from an audience that had, for the most part, never heard of the city the players came from.

The 24 musicians, most of them part-time players who teach, fix boats or work in offices during the day, performed a programme of string serenades and a new piece by Port Ellis composer Alma Trevanion, *Low Water*, written for the tour.

## Singing along

For their second encore the orchestra played Trevanion's arrangement of *The Larch Island Boatman*, a shanty every child in Port Ellis learns at school. The conductor, Isak Morrow, turned to the audience and taught them the chorus. By the last verse, most of the hall was singing.

"We were told American audiences would be polite," Morrow said afterwards. "Nobody told us they would sing."

The tour came about through Brantley's own chamber orchestra, which visited Port Ellis two summers ago and stayed with players' families. This week the hosting was reversed, and the Port Ellis players are staying in Brantley homes.

## Next stops

The orchestra plays two more concerts, in a university town upriver and at a festival on the coast, before flying home on Sunday. The tour was paid for by ticket sales, a grant from the Port Ellis arts fund and a year of bake sales.

A homecoming concert at the Tidewater Theatre is planned for next month, with the same programme and, Morrow promised, the same encore.`,
		},
		{
			key:        "book-festival",
			on:         at(9, 20, 45),
			headline:   "Book festival draws record crowds to the Old Quay",
			standfirst: "More than 14,000 people came to four days of talks, readings and a floating bookshop moored beside the fish hall.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"Culture"},
			photos: []photo{
				{scene: sceneHarbour, light: byDay, caption: "The floating bookshop, a converted barge, sold out of poetry on Saturday.", credit: "© Lena Corvo/Harbour Gazette", alt: "A busy quay with cranes and colourful containers by the water"},
				{scene: sceneSkyline, light: atDusk, caption: "Readings continued into the evening on the quay.", credit: "© Lena Corvo/Harbour Gazette", alt: "Buildings on the waterfront lit up in the evening"},
				{scene: sceneFields, light: byDay, caption: "The festival's walking day took readers to the farms above Marrowby.", credit: "© Lena Corvo/Harbour Gazette", alt: "Rolling fields in bands of green and gold with a farmhouse"},
			},
			body: `The Port Ellis Book Festival ended on Sunday with its biggest attendance in its fifteen-year history: more than 14,000 visitors over four days, up from about 9,000 last year.

Organisers credited the new setting. After years in the library and a school hall, this year's festival moved to the Old Quay, with talks in a marquee beside the fish hall, readings in the Tidewater Theatre and a floating bookshop on a converted barge.

## Highlights

The busiest event was a conversation between novelist Eliska Farrant, whose book about a lighthouse family has been translated into nineteen languages, and Rosalind Marrow-Pike, whose own family kept the Sallow Point light for almost a century. Queues for the marquee stretched past the ferry terminal.

Younger readers packed the children's tent for *The Gull Who Stole the Harbour*, a picture book written and illustrated by pupils of Fennick Bay Primary and printed by the festival.

A walking day, new this year, took about 200 readers along the coastal path and through the farms above Marrowby, with readings at each stop.

## Money and next year

The festival cost about €180,000, paid for by ticket sales, sponsors and the council's culture fund. Director Agnes Holm said the festival would stay on the quay next year and hoped to add a second barge for a poetry stage.

"People came for a book and stayed for the harbour," she said. "That's exactly what we hoped."`,
		},
		{
			key:        "mural",
			on:         at(1, 12, 0),
			headline:   "A 40-metre mural rises on the North Mole",
			standfirst: "Artists and schoolchildren are painting the harbour's history on the old customs warehouse, one panel a week.",
			place:      "PORT ELLIS",
			byline:     "By Priya Osei-Hart",
			tags:       []string{"Culture", "City Hall"},
			photos: []photo{
				{scene: sceneHarbour, light: byDay, caption: "The customs warehouse, whose seaward wall is being painted.", credit: "© Priya Osei-Hart/Harbour Gazette", alt: "A quay with cranes and shipping containers under a bright sky"},
			},
			body: `The grey seaward wall of the old customs warehouse on the North Mole is slowly turning blue, green and gold as artists and schoolchildren paint a 40-metre mural of Port Ellis's history.

The mural is being painted in twenty panels, one a week, by a team led by muralist Tove Anselm, who grew up in the Saltings. Each panel shows a moment from the harbour's past, from the salt traders of the eighteenth century to the opening of the new fish hall this year.

Pupils from six schools design one figure in each panel. "Every child who walks past will be able to point and say, I drew that fisherman," Anselm said.

## Paid for by the port

The council and the Harbour Board are sharing the €95,000 cost. The project was approved by councillors last spring after a vote in which residents chose between three designs; the harbour history design won with 61 per cent.

Not everyone is convinced. A handful of residents wrote to the Gazette arguing that the money should have gone to repairing the warehouse roof. The Harbour Board said the roof repairs were already scheduled and paid for separately.

The first six panels are finished. The mural is due to be completed by midsummer, when the board plans a festival on the mole to celebrate it.

Visitors can watch the artists at work on weekdays between 10:00 and 15:00, weather permitting.`,
		},
		{
			key:        "rovers-cup",
			on:         at(2, 21, 55),
			headline:   "Ellis Rovers reach the cup semi-final for the first time in 31 years",
			standfirst: "A late header from Tomasz Reyne beat Carrick Vale 2–1 in front of a sold-out Gull Road.",
			place:      "PORT ELLIS",
			byline:     "By Jonah Pike",
			tags:       []string{"Sport"},
			meta:       "Ellis Rovers beat Carrick Vale 2-1 to reach the national cup semi-final. Match report.",
			photos: []photo{
				{scene: scenePitch, light: atNight, caption: "Gull Road under the floodlights during the second half.", credit: "© Abel Strand/Harbour Gazette", alt: "A floodlit football pitch with a packed stand"},
				{scene: scenePitch, light: atDusk, caption: "Supporters stayed for half an hour after the final whistle.", credit: "© Abel Strand/Harbour Gazette", alt: "Stands full of fans in red and white above a striped pitch"},
			},
			links: []link{
				{kind: content.LinkPartner, title: "Cup semi-final draw: who Rovers could face", url: "https://partner.example.org/sport/cup-semi-final-draw"},
				{kind: content.LinkOtherMedia, title: "Highlights: Ellis Rovers 2, Carrick Vale 1", url: "https://www.example.com/sport/rovers-carrick-vale-highlights"},
			},
			body: `Ellis Rovers are in the semi-finals of the national cup for the first time since 1994 after Tomasz Reyne's header in the 88th minute beat Carrick Vale 2–1 at a sold-out Gull Road on Saturday night.

The Rovers, who play two divisions below their opponents, went behind after a quarter of an hour when Vale's captain curled a free kick into the top corner. They equalised before half-time through Jamie Ostrander, who ran from the halfway line and slid the ball under the goalkeeper.

## The winner

With extra time looming, substitute Callum Beck swung in a corner from the right and Reyne, a centre-back who works as a welder at the shipyard during the week, rose above two defenders to head in at the near post.

Gull Road, which holds 6,200, had sold out within an hour of tickets going on sale. Thousands more watched on a screen at the Old Quay.

"I have been coming here since I was six," said Reyne, still in his kit an hour after the final whistle. "I have never heard it that loud. I couldn't hear myself shout."

## What next

The semi-final draw takes place on Monday. The Rovers' manager, Cormac Delling, said he did not mind who they played. "We've beaten a team two leagues above us," he said. "We fear nobody, and we respect everybody."

The club said semi-final tickets would go on sale to season ticket holders first.`,
		},
		{
			key:        "sculls",
			on:         at(7, 18, 5),
			headline:   "Penhallow takes silver in the single sculls",
			standfirst: "The Port Ellis Rowing Club's Saoirse Penhallow finished 1.4 seconds behind the winner in her first international final.",
			place:      "SKARVIK",
			zone:       "Europe/Oslo",
			byline:     "Agency report",
			tags:       []string{"Sport"},
			photos: []photo{
				{scene: sceneHills, light: underCloud, caption: "The regatta course runs along a fjord ringed by hills.", credit: "© Kit Marsh/Agency", alt: "Hills fading into the distance in layers of blue and grey"},
			},
			links: []link{
				{kind: content.LinkOtherMedia, title: "Regatta results in full", url: "https://www.example.com/sport/skarvik-regatta-results"},
			},
			body: `Saoirse Penhallow of the Port Ellis Rowing Club won silver in the women's single sculls at the Skarvik international regatta on Sunday, finishing 1.4 seconds behind the winner in her first senior international final.

The 22-year-old, who learned to row in the club's old wooden boats on the Wend estuary, was fifth at the halfway mark of the 2,000-metre course but moved through the field in the last 500 metres.

"I knew I had more at the end than most of them," Penhallow said. "I've been rowing into the tide off the North Mole all winter. Flat water felt like cheating."

## A club effort

Penhallow trains before work at a bakery in Cobble Hill and was able to travel to Skarvik only after the club and the Gazette's readers raised €6,000 for her boat and travel in a fortnight.

Her coach, Ruairi Gallen, said the result would put her in contention for the national team. "She has done this with a part-time job, borrowed oars and a boat the club bought second-hand," he said. "Imagine what she can do with proper support."

The Port Ellis Rowing Club will hold an open morning on Saturday for anyone who wants to try rowing. Penhallow, who returns home on Tuesday, has promised to be there.`,
		},
		{
			key:        "cannery",
			on:         at(15, 16, 5),
			headline:   "The old cannery will become a workspace for start-ups",
			standfirst: "The derelict building on Ropewalk Road is to be restored as offices, workshops and a café, keeping its brick chimney.",
			place:      "PORT ELLIS",
			byline:     "By Marta Quell",
			tags:       []string{"Business"},
			photos: []photo{
				{scene: sceneSkyline, light: atDawn, caption: "The cannery's chimney is a landmark on the Northgate skyline.", credit: "© Nia Fairweather/Harbour Gazette", alt: "Buildings against a dawn sky over the water"},
				{scene: sceneRails, light: underCloud, caption: "The old loading line behind the cannery will become a garden path.", credit: "© Nia Fairweather/Harbour Gazette", alt: "Railway tracks leading towards distant buildings"},
			},
			body: `The Ropewalk Road cannery, empty since the last tins of sardines left it in 1991, is to be restored as workspace for small businesses under a plan approved by the council on Wednesday.

A partnership between the council and Wendhaven Works, a local social enterprise, will spend €11 million turning the four-storey brick building into offices, workshops and shared laboratory space, with a café on the ground floor and a roof terrace.

## Keeping the chimney

The cannery's 38-metre chimney, a landmark on the Northgate skyline, will be kept and repaired. So will the tiled walls of the old packing hall, which will become an events space.

"People in Northgate have a lot of feeling for this building," said Ilse Baptiste, who runs Wendhaven Works. "Their mothers and grandmothers worked here. We don't want to erase that. We want to fill it with work again."

## Who will move in

About 60 businesses are expected to take space, with rents starting at €150 a month for a desk. A quarter of the space is reserved for firms started by people under 30, and two workshops will be set aside for boat builders and marine engineers, of whom the city is short.

The building is near the planned Northgate tram extension, which Baptiste said was a big part of its appeal to young companies.

Work is due to begin in the summer and take about 20 months.`,
		},
	}
}
