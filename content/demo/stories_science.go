package demo

import "dateline/content"

// scienceStories are the Science, Education and Health desk's stories.
func scienceStories() []story {
	return []story{
		{
			key:        "seagrass",
			on:         at(10, 8, 30),
			featured:   true,
			headline:   "Seagrass meadows return to Fennick Bay",
			standfirst: "Divers have mapped eight hectares of eelgrass where there was almost none a decade ago, and the fish are following.",
			place:      "PORT ELLIS",
			byline:     "By Sefa Lindqvist",
			tags:       []string{"Science", "Harbour"},
			meta:       "Eelgrass is recovering in Fennick Bay near Port Ellis, ten years after moorings were changed to protect it.",
			photos: []photo{
				{scene: sceneSea, light: byDay, caption: "Fennick Bay at low tide, when the meadows show as dark patches.", credit: "© Lena Corvo/Harbour Gazette", alt: "A calm bay with sailing boats and a lighthouse on a headland"},
				{scene: sceneHills, light: byDay, caption: "The hills above Fennick Bay, where the survey team is based.", credit: "© Lena Corvo/Harbour Gazette", alt: "Layers of hills fading into haze"},
			},
			links: []link{
				{kind: content.LinkOtherMedia, title: "Seagrass: the underwater meadows that store carbon", url: "https://www.example.com/science/seagrass-carbon"},
			},
			body: `Ten years after Port Ellis changed the way boats moor in Fennick Bay, the seagrass that once carpeted the bay's sandy floor is coming back, according to a survey published this week by the Port Ellis Marine Institute.

Divers and an underwater drone mapped eight hectares of eelgrass this summer, up from less than half a hectare in the first survey in 2015. The meadows are densest in the sheltered north-east corner of the bay, close to the Gullhaven slipway.

## What changed

The old moorings were heavy chains dragged across the seabed by every turn of the tide, scouring circles of bare sand around each buoy. In 2016 the Harbour Board replaced them with floating moorings that hold the chain off the bottom.

"It was a small change with a big effect," said Dr Ines Calloway, who led the survey. "Seagrass is tough if you leave it alone. We stopped digging it up twice a day, and it did the rest."

## Why it matters

Seagrass shelters young fish, steadies the sand against storms and stores carbon in the seabed. The survey counted juvenile pollack and cuttlefish in the meadows, species that had become rare in the bay.

The institute plans to replant a further two hectares next spring with seeds collected by volunteers. Anyone who wants to help can join the seed-collecting trips, which leave the Gullhaven slipway on summer weekends.

Boat owners are asked to use the marked moorings and avoid anchoring over the meadows, which are shown on a new chart at the harbour office.`,
		},
		{
			key:        "observatory",
			on:         at(8, 22, 50),
			headline:   "Amateur astronomers spot a new comet from Gull Hill",
			standfirst: "Two members of the Port Ellis Astronomical Society were the first to report the faint visitor, now named after them.",
			place:      "PORT ELLIS",
			byline:     "By Daniel Moss",
			tags:       []string{"Science"},
			photos: []photo{
				{scene: sceneNight, light: atNight, caption: "The society's observatory on Gull Hill, above the city's lights.", credit: "© Daniel Moss/Harbour Gazette", alt: "A small observatory dome on a dark hill under a starry sky with a comet"},
			},
			body: `Two amateur astronomers from Port Ellis have had a comet named after them, after their report from the Gull Hill observatory was confirmed as the first sighting of a new visitor to the inner solar system.

Comet Abara-Lund was spotted at 02:14 on a clear night last month by Yusuf Abara, a retired ferry engineer, and Hedda Lund, a maths teacher at Wendmouth Academy, while they were photographing a faint galaxy for the Port Ellis Astronomical Society's newsletter.

"There was a smudge that wasn't on the star charts," said Mr Abara. "The next night it had moved. That is when we started to get excited."

They sent their measurements to the international body that confirms new comets, which checked them against observations from professional telescopes and announced the discovery on Tuesday.

## Can I see it?

Not yet, at least not without a telescope. The comet is about as bright as a star of the eleventh magnitude, far too faint for the naked eye. Astronomers expect it to brighten as it nears the Sun over the next four months, though probably not enough to be seen from the city.

The society's observatory on Gull Hill holds open nights on the first Friday of every month, when members bring their telescopes out for visitors. The next one will try to find the comet, weather permitting.

"It is a reminder that you don't need a giant telescope to find something new," said Ms Lund. "You need a dark hill, patience and friends who don't mind staying up."`,
		},
		{
			key:        "kiyohama-tides",
			on:         at(6, 3, 40),
			headline:   "Port Ellis scientists join a twin-city tide study in Kiyohama",
			standfirst: "Researchers from both ports will compare a century of tide records to see how fast the sea is rising on each side of the world.",
			place:      "KIYOHAMA",
			zone:       "Asia/Tokyo",
			byline:     "Agency report",
			tags:       []string{"Science"},
			photos: []photo{
				{scene: sceneHarbour, light: atDawn, caption: "The tide gauge house on Kiyohama's east quay dates from 1911.", credit: "© Haruto Minase/Agency", alt: "A harbour quay with cranes and containers in morning light"},
				{scene: sceneBridge, light: byDay, caption: "The bridge across Kiyohama's inner harbour.", credit: "© Haruto Minase/Agency", alt: "A steel arch bridge over calm water"},
			},
			links: []link{
				{kind: content.LinkPartner, title: "Twin cities, one rising sea", url: "https://partner.example.org/science/twin-cities-tides"},
			},
			body: `Scientists from the Port Ellis Marine Institute arrived in Kiyohama, Port Ellis's twin city, on Monday to begin a three-year study comparing more than a century of tide records from the two harbours.

Both ports have measured their tides since the early twentieth century, Kiyohama from a small stone gauge house on its east quay and Port Ellis from the end of the North Mole. Until now the records had never been studied side by side.

"Two harbours, two oceans, two very long memories," said Dr Ines Calloway, who leads the Port Ellis team. "If we can line them up carefully, they tell us not only how much the sea has risen but how differently it rises in different places."

## Why the records differ

Sea level does not rise evenly around the world. Currents, winds, and the slow rise or sinking of the land itself all change what a tide gauge measures. Kiyohama's coast has sunk slightly since a series of earthquakes in the mid-twentieth century; Port Ellis's has been almost still.

The Kiyohama team, led by oceanographer Dr Sayaka Orimoto, will spend the first year digitising paper logs from before 1960, many written in pencil by harbour clerks. Port Ellis's older records were digitised in 2018.

The project is paid for by the two cities and a small international science grant. Its results will be published openly, along with the cleaned-up records.

Dr Orimoto said the partnership had started with a school exchange. "Children wrote letters about the sea," she said. "Now their teachers' colleagues are measuring it together."`,
		},
		{
			key:        "marine-apprenticeships",
			on:         at(4, 11, 0),
			headline:   "Marine Institute launches apprenticeships for school leavers",
			standfirst: "Twelve young people a year will be paid to train as technicians on boats, in laboratories and at the harbour's monitoring stations.",
			place:      "PORT ELLIS",
			byline:     "By Priya Osei-Hart",
			tags:       []string{"Education", "Science"},
			photos: []photo{
				{scene: sceneCampus, light: byDay, caption: "Wendmouth Academy, one of four schools taking part.", credit: "© Priya Osei-Hart/Harbour Gazette", alt: "A brick school building with a clock tower behind a lawn"},
			},
			links: []link{
				{kind: content.LinkRelated, title: "Seagrass meadows return to Fennick Bay", to: "seagrass"},
				{kind: content.LinkPartner, title: "Apprenticeships at sea: a guide for families", url: "https://partner.example.org/education/marine-apprenticeships"},
			},
			body: `The Port Ellis Marine Institute will take on its first apprentices in September, offering twelve school leavers a year a paid route into marine science without a university degree.

The two-year apprenticeships will train technicians who maintain the institute's survey boats, run its laboratory equipment and look after the tide gauges and water-quality buoys around the harbour. Apprentices will spend four days a week at the institute and one at the Port Ellis College of Technology.

Apprentices will be paid €1,450 a month in the first year, rising to €1,700 in the second. The institute hopes to offer a permanent job to most of them when they finish.

## Who can apply

Anyone aged 16 to 19 who lives in Port Ellis, Marrowby or on Larch Island can apply. No science qualifications are required, but applicants must be able to swim and be willing to work outdoors in all weathers.

"Some of the best technicians I have worked with left school at sixteen," said Dr Ines Calloway, who helped design the scheme. "They knew engines, or they had grown up on boats. We want to find those people before they leave town."

Amara Oduya-Finch, headteacher of Wendmouth Academy, one of four schools that helped shape the programme, said pupils often assumed science careers were not for them. "This shows them a job on their doorstep, in a place they already love," she said.

Applications open next month. The institute will hold an open day for families on the last Saturday of the month.`,
		},
		{
			key:        "school-meals",
			on:         at(18, 9, 0),
			headline:   "Every primary pupil in Port Ellis to get a free school lunch",
			standfirst: "The council will extend free lunches to all 5,800 primary pupils from the autumn term, paid for by a cut in office costs.",
			place:      "PORT ELLIS",
			byline:     "By Priya Osei-Hart",
			tags:       []string{"Education", "Health"},
			photos: []photo{
				{scene: sceneCampus, light: underCloud, caption: "Lunch at Fennick Bay Primary, one of the first schools to take part.", credit: "© Nia Fairweather/Harbour Gazette", alt: "A brick school with a clock tower and trees on either side"},
			},
			body: `All primary school pupils in Port Ellis will receive a free hot lunch from the autumn term, the council announced on Friday, extending a scheme that currently covers only children from low-income families.

About 5,800 children in 19 primary schools will be eligible. The council expects the scheme to cost €4.1 million a year, paid for largely by the reduction in council office spending agreed in this year's budget.

## Why all pupils

Councillors said many families just above the income limit struggled to pay for lunches, and that some children entitled to free meals did not claim them for fear of being singled out.

"When every child eats the same lunch at the same table, nobody is the free-lunch kid," said councillor Beatriz Lomond, who chairs the education committee.

Head teachers welcomed the decision but warned that several school kitchens were too small to cook for every pupil. The council has set aside €600,000 to enlarge six kitchens over the summer holidays, and two schools will share a kitchen until their work is done.

## Local food

The council wants at least a third of the food to come from farms, bakeries and fishing boats within 50 kilometres of the city. Fish from the Port Ellis auction will be on the menu once a week.

Parents who currently pay for lunches will stop paying at the end of the summer term. The scheme will be reviewed after two years, including its effect on attendance and on children's concentration in afternoon lessons.`,
		},
		{
			key:        "hospital-wing",
			on:         at(12, 15, 40),
			headline:   "New maternity wing opens at Port Ellis General",
			standfirst: "The wing has twelve birth rooms, a neonatal unit and, for the first time, rooms where partners can stay overnight.",
			place:      "PORT ELLIS",
			byline:     "Harbour Gazette staff",
			tags:       []string{"Health"},
			photos: []photo{
				{scene: sceneCampus, light: byDay, caption: "The hospital's new wing faces the park on Linden Road.", credit: "© Lena Corvo/Harbour Gazette", alt: "A large brick building with rows of windows and a clock tower"},
			},
			body: `Port Ellis General Hospital opened its new maternity wing on Wednesday, replacing wards that had served the city's mothers and babies since 1968.

The first baby born in the wing, a girl weighing 3.2 kilograms, arrived at 04:51, less than five hours after the doors opened. Her parents, from Northgate, asked not to be named.

The wing has twelve birth rooms, four of them with birthing pools, and a neonatal unit with fourteen cots for babies who are born early or need extra care. Each of the twenty post-natal rooms has a fold-out bed for a partner.

"In the old wards partners had to go home at nine in the evening, even after a difficult birth," said Orla Kestrel, the head of midwifery. "Now the family stays together from the first night."

## Fewer transfers

The neonatal unit means fewer babies will need to be transferred to the regional hospital, 90 kilometres away, which has happened about 60 times a year. Parents of premature babies have long described the journey as one of the hardest parts of their experience.

The wing cost €38 million and took three years to build. Dr Felix Armitage-Rowe, the hospital's chief executive, thanked the Port Ellis Hospital Friends, a charity that raised €2.4 million for equipment, including through an annual swim across the harbour.

The old maternity wards will be refurbished as a day surgery unit, due to open next year.`,
		},
		{
			key:        "swim-season",
			on:         at(3, 14, 20),
			headline:   "Winter sea swimmers urged to take care after three rescues",
			standfirst: "The lifeboat crew and the hospital's emergency doctors have issued joint advice after a busy fortnight at Gullhaven beach.",
			place:      "GULLHAVEN",
			byline:     "By Daniel Moss",
			tags:       []string{"Health", "Sport"},
			photos: []photo{
				{scene: sceneSea, light: atDawn, caption: "Gullhaven beach, popular with winter swimmers.", credit: "© Daniel Moss/Harbour Gazette", alt: "A wide sea at dawn with a lighthouse on a headland"},
			},
			body: `The Port Ellis lifeboat crew has been called to three swimmers in difficulty at Gullhaven beach in the last two weeks, prompting the crew and doctors at Port Ellis General to issue joint advice for the growing number of people who swim in the sea through the winter.

All three swimmers recovered. Two had stayed in the water too long and become too cold to swim back; the third was caught by the current that runs off the rocks at the north end of the beach on a falling tide.

Winter swimming has become hugely popular in Port Ellis. The Gullhaven Dawn Dippers, an informal group that meets at dawn, now has more than 400 members.

## The advice

- Swim with others and tell someone on shore when you expect to be out.
- Stay in for less time than you think you can: one minute per degree of water temperature is a rough upper limit for most people.
- Keep to the south end of the beach, away from the rocks.
- Warm up slowly afterwards with dry clothes and a warm drink, not a hot shower.

Dr Naledi Strand, an emergency doctor at the hospital, said the dangers were manageable. "Cold water swimming can be wonderful for people's mood and fitness," she said. "The body's reactions to cold are powerful, though, and they don't care how experienced you are."

The lifeboat station will hold a free cold-water safety session at the Gullhaven slipway on Sunday at 09:00.`,
		},
	}
}
