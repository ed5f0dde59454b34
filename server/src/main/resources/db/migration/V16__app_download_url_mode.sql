-- How devices get an app's bundle URLs (docs/admin-api.md, "Apps"; docs/operations.md, "S3 storage"): as registered
-- ('public': a public bucket or a CDN), or as presigned GET URLs of the configured S3 bucket that expire after
-- presigned_url_ttl_seconds (1 s to 7 days, SigV4's limit).
alter table apps add column download_url_mode text not null default 'public';
alter table apps add column presigned_url_ttl_seconds integer not null default 3600;
alter table apps add constraint apps_download_url_mode check (download_url_mode in ('public', 'presigned'));
alter table apps add constraint apps_presigned_url_ttl check (presigned_url_ttl_seconds between 1 and 604800);
