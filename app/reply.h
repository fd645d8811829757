/*
 * reply: every answer the portal gives leaves through here, with the
 * security headers, and errors in the one JSON shape of ARCHITECTURE.md (Errors):
 * {"error": {"code": "...", "message": "...", "fields": {...}}}.
 */
#ifndef PORTAL_REPLY_H
#define PORTAL_REPLY_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "db_status.h"

struct http_request;
struct kore_buf;
struct qs;

/* Methods a handler takes, for reply_method_allowed(). */
#define REPLY_GET	0x01	/* GET and HEAD */
#define REPLY_POST	0x02
#define REPLY_PUT	0x04
#define REPLY_PATCH	0x08
#define REPLY_DELETE	0x10

/* Largest JSON body the API reads. */
#define REPLY_JSON_BODY_MAX	(64 * 1024)

void	reply_json(struct http_request *, int, cJSON *);
void	reply_error(struct http_request *, int, const char *, const char *,
	    cJSON *);
void	reply_bytes(struct http_request *, int, const char *, const void *,
	    size_t);
int	reply_method_allowed(struct http_request *, int);
int	reply_read_json(struct http_request *, cJSON **);
int	reply_parse_query(struct http_request *, struct qs *);
int	reply_route_id(struct http_request *, const char *, long long *,
	    const char **);
int	reply_is_api(const struct http_request *);
void	reply_db_failure(struct http_request *, enum db_status);
void	reply_invalid(struct http_request *, cJSON *);
void	reply_read(struct http_request *, enum db_status, cJSON *, cJSON *);
void	reply_throttled(struct http_request *, int, const char *,
	    const char *);
const char *reply_client_ip(struct http_request *, char *, size_t);
struct kore_buf *reply_read_upload(struct http_request *, size_t, const char *);

/* In h_pages.c: the answer for what is not there. */
int	h_not_found(struct http_request *);

#endif /* !PORTAL_REPLY_H */
