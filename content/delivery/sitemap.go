package delivery

import (
	"encoding/xml"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"dateline/content"
)

// Sitemap limits of the sitemaps.org protocol and Google News.
const (
	MaxSitemapURLs  = 50_000         // URLs in one sitemap file
	NewsSitemapURLs = 1_000          // stories in the news sitemap
	NewsWindow      = 48 * time.Hour // how far back the news sitemap reaches
)

const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

type urlSet struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	NSNews  string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	News    *newsItem `xml:"news:news"`
}

type newsItem struct {
	Publication     newsPublication `xml:"news:publication"`
	PublicationDate string          `xml:"news:publication_date"`
	Title           string          `xml:"news:title"`
	Keywords        string          `xml:"news:keywords,omitempty"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapRef `xml:"sitemap"`
}

type sitemapRef struct {
	Loc string `xml:"loc"`
}

// handleSitemap serves /sitemap.xml: every published story's URL, or, when
// there are more than SitemapSize of them, an index of /sitemaps/{n}.xml.
func (api *API) handleSitemap(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	n, err := api.Store.PublishedCount(c.Request.Context())
	if err != nil {
		api.problem(c, err)
		return
	}
	if n <= api.SitemapSize {
		api.writeSitemapPage(c, 1)
		return
	}
	idx := sitemapIndex{NS: sitemapNS}
	for i := 1; i <= sitemapPages(n, api.SitemapSize); i++ {
		idx.Sitemaps = append(idx.Sitemaps, sitemapRef{Loc: api.BaseURL + "/sitemaps/" + strconv.Itoa(i) + ".xml"})
	}
	surrogateKeys(c, []string{"articles", "sitemaps"})
	api.writeXML(c, xmlType, idx)
}

// handleSitemapPage serves /sitemaps/{n}.xml: the n-th SitemapSize stories,
// oldest first, so a full file keeps its contents as stories are added.
func (api *API) handleSitemapPage(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	notFound := content.Errorf(content.ENOTFOUND, "no such sitemap")
	num, ok := strings.CutSuffix(c.Param("file"), ".xml")
	page, err := strconv.Atoi(num)
	if !ok || err != nil || page < 1 || strconv.Itoa(page) != num {
		api.problem(c, notFound)
		return
	}
	n, err := api.Store.PublishedCount(c.Request.Context())
	if err != nil {
		api.problem(c, err)
		return
	}
	if page > max(1, sitemapPages(n, api.SitemapSize)) {
		api.problem(c, notFound)
		return
	}
	api.writeSitemapPage(c, page)
}

func sitemapPages(n, size int) int { return (n + size - 1) / size }

func (api *API) writeSitemapPage(c *gin.Context, page int) {
	as, err := api.Store.PublishedStamps(c.Request.Context(), (page-1)*api.SitemapSize, api.SitemapSize)
	if err != nil {
		api.problem(c, err)
		return
	}
	set := urlSet{NS: sitemapNS, URLs: make([]sitemapURL, 0, len(as))}
	for _, a := range as {
		set.URLs = append(set.URLs, sitemapURL{Loc: xmlText(api.articleURL(a.Slug)), LastMod: modified(a).Format(time.RFC3339)})
	}
	api.homeWhenEmpty(&set)
	surrogateKeys(c, []string{"articles", "sitemaps"})
	api.writeXML(c, xmlType, set)
}

// handleNewsSitemap serves /news-sitemap.xml: the stories first published in
// the last NewsWindow, newest first, at most NewsSitemapURLs of them, in the
// Google News sitemap format.
func (api *API) handleNewsSitemap(c *gin.Context) {
	if err := noParams(c); err != nil {
		api.problem(c, err)
		return
	}
	since := api.Now().Add(-NewsWindow)
	as, err := api.Store.Articles(c.Request.Context(), content.ArticleFilter{
		Statuses: publishedOnly, Sort: content.SortPublished, Since: &since, Limit: NewsSitemapURLs})
	if err != nil {
		api.problem(c, err)
		return
	}
	set := urlSet{NS: sitemapNS, NSNews: "http://www.google.com/schemas/sitemap-news/0.9", URLs: make([]sitemapURL, 0, len(as))}
	for _, a := range as {
		var kw []string
		for _, t := range a.Tags {
			kw = append(kw, t.Name)
		}
		set.URLs = append(set.URLs, sitemapURL{Loc: xmlText(api.articleURL(a.Slug)), News: &newsItem{
			Publication:     newsPublication{Name: xmlText(api.SiteName), Language: xmlText(newsLanguage(api.Language))},
			PublicationDate: published(a).Format(time.RFC3339),
			Title:           xmlText(a.Headline),
			Keywords:        xmlText(strings.Join(kw, ", ")),
		}})
	}
	api.homeWhenEmpty(&set)
	surrogateKeys(c, []string{"articles", "sitemaps"})
	api.writeXML(c, xmlType, set)
}

// homeWhenEmpty gives a sitemap without stories one URL, the site's home
// page (without news tags in the news sitemap): the sitemaps.org schema
// requires at least one url in a urlset, so an empty one is not a valid
// sitemap, while a home page is always a URL worth crawling.
func (api *API) homeWhenEmpty(set *urlSet) {
	if len(set.URLs) == 0 {
		set.URLs = append(set.URLs, sitemapURL{Loc: xmlText(api.homeURL())})
	}
}

// newsLanguage turns a BCP 47 tag into the ISO 639 code Google News wants:
// the primary language, except zh-cn and zh-tw, which keep their region.
func newsLanguage(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(tag, "_", "-"))
	if tag == "zh-cn" || tag == "zh-tw" {
		return tag
	}
	primary, _, _ := strings.Cut(tag, "-")
	return primary
}
