package postgres_test

import (
	"dateline/admin"
	"dateline/auth"
	"dateline/content/delivery"
	"dateline/content/postgres"
	"dateline/content/schedule"
	"dateline/content/storetest"
	"dateline/content/transfer"
	"dateline/content/webhook"
)

// The consumers' interfaces the store satisfies: what cmd/dateline can
// hand it to once it is wired.
var (
	_ storetest.Store        = (*postgres.DB)(nil)
	_ delivery.Store         = (*postgres.DB)(nil)
	_ schedule.Store         = (*postgres.DB)(nil)
	_ webhook.Store          = (*postgres.DB)(nil)
	_ auth.UserStore         = (*postgres.DB)(nil)
	_ auth.APIKeyStore       = (*postgres.DB)(nil)
	_ admin.ArticleStore     = (*postgres.DB)(nil)
	_ admin.LockStore        = (*postgres.DB)(nil)
	_ admin.TagStore         = (*postgres.DB)(nil)
	_ admin.MediaStore       = (*postgres.DB)(nil)
	_ admin.WebhookStore     = (*postgres.DB)(nil)
	_ admin.KeyStore         = (*postgres.DB)(nil)
	_ admin.AccountStore     = (*postgres.DB)(nil)
	_ admin.PreviewStore     = (*postgres.DB)(nil)
	_ admin.UIStore          = (*postgres.DB)(nil)
	_ delivery.ChangeStore   = (*postgres.DB)(nil)
	_ delivery.RevisionStore = (*postgres.DB)(nil)
	_ delivery.PreviewGrants = (*postgres.DB)(nil)
	_ transfer.ExportSource  = (*postgres.DB)(nil)
	_ transfer.Store         = (*postgres.DB)(nil)
	_ admin.Store            = (*postgres.DB)(nil)
	_ admin.AppStore         = (*postgres.DB)(nil)
)
