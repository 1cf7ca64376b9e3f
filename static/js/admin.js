// Dateline admin scripts arrive with the admin app.
