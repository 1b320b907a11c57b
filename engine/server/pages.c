/* pages.c - the portal's web pages (placeholder while the API lands). */
#include "server_impl.h"

void clb__pages_handle(srv_ctx *ctx, const srv_request *req, srv_response *res)
{
    (void)ctx;
    (void)req;
    clb__srv_set(res, 404, "text/plain; charset=utf-8", "not found\n");
}
