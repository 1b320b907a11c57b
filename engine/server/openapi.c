/*
 * openapi.c - the OpenAPI 3.0 description of the portal's JSON API, served at
 * GET /api/v1/openapi.json.
 *
 * Kept beside the code that answers the requests (api.c); the server suite checks
 * every real response of its run against these schemas, so the description cannot
 * drift from the answers unnoticed. The operations are a table (OPERATIONS): each
 * names its own responses, and every operation that needs a token gets the same
 * 401, 429 and 503 (AUTH_RESPONSES) written once. The document's head and its
 * schemas are JSON text as they are.
 */
#include <string.h>

#include "server/server_impl.h"

/* One string per line: ISO C caps the length of one string literal. */
static const char *const HEAD[] = {
    "{\n",
    " \"openapi\": \"3.0.3\",\n",
    " \"info\": {\n",
    "  \"title\": \"circulab employer portal\",\n",
    "  \"version\": \"1\",\n",
    "  \"description\": \"Each employer reads and changes only its own vacancies and placements. Authenticate with `Authorization: Bearer TOKEN` (a token from `circulab employer token add`). Vacancies are validated exactly as `circulab vacancy submit` validates them.\"\n",
    " },\n",
    " \"servers\": [{\"url\": \"/api/v1\"}],\n",
    " \"security\": [{\"bearer\": []}],\n",
    " \"paths\": {\n",
};

static const char *const COMPONENTS[] = {
    " \"components\": {\n",
    "  \"securitySchemes\": {\"bearer\": {\"type\": \"http\", \"scheme\": \"bearer\"}},\n",
    "  \"schemas\": {\n",
    "   \"Error\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"error\"],\n",
    "    \"properties\": {\"error\": {\"type\": \"string\"}},\n",
    "    \"additionalProperties\": false\n",
    "   },\n",
    "   \"ValidationErrors\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"errors\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\n",
    "     \"errors\": {\n",
    "      \"type\": \"array\",\n",
    "      \"minItems\": 1,\n",
    "      \"items\": {\n",
    "       \"type\": \"object\",\n",
    "       \"required\": [\"path\", \"rule\", \"message\"],\n",
    "       \"additionalProperties\": false,\n",
    "       \"properties\": {\n",
    "        \"path\": {\"type\": \"string\"},\n",
    "        \"rule\": {\"type\": \"string\"},\n",
    "        \"message\": {\"type\": \"string\"}\n",
    "       }\n",
    "      }\n",
    "     }\n",
    "    }\n",
    "   },\n",
    "   \"Site\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"id\", \"region\"],\n",
    "    \"properties\": {\n",
    "     \"id\": {\"type\": \"string\"},\n",
    "     \"region\": {\"type\": \"string\"},\n",
    "     \"beds\": {\"type\": \"integer\"}\n",
    "    }\n",
    "   },\n",
    "   \"Employer\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"id\", \"region\"],\n",
    "    \"properties\": {\n",
    "     \"id\": {\"type\": \"string\"},\n",
    "     \"name\": {\"type\": \"string\"},\n",
    "     \"region\": {\"type\": \"string\"},\n",
    "     \"association\": {\"type\": \"string\"},\n",
    "     \"sites\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Site\"}}\n",
    "    }\n",
    "   },\n",
    "   \"Fill\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"proposed\", \"confirmed\", \"departed\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\n",
    "     \"proposed\": {\"type\": \"integer\"},\n",
    "     \"confirmed\": {\"type\": \"integer\"},\n",
    "     \"departed\": {\"type\": \"integer\"}\n",
    "    }\n",
    "   },\n",
    "   \"Vacancy\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"id\", \"start\", \"end\", \"headcount\"],\n",
    "    \"properties\": {\n",
    "     \"id\": {\"type\": \"string\"},\n",
    "     \"employer\": {\"type\": \"string\"},\n",
    "     \"site\": {\"type\": \"string\"},\n",
    "     \"sector\": {\"type\": \"string\"},\n",
    "     \"occupation\": {\"type\": \"string\"},\n",
    "     \"start\": {\"type\": \"string\", \"format\": \"date\"},\n",
    "     \"end\": {\"type\": \"string\", \"format\": \"date\"},\n",
    "     \"headcount\": {\"type\": \"integer\", \"minimum\": 1},\n",
    "     \"wage_month_eur\": {\"type\": \"number\"},\n",
    "     \"requires\": {\n",
    "      \"type\": \"object\",\n",
    "      \"properties\": {\n",
    "       \"skills\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},\n",
    "       \"trainings\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},\n",
    "       \"languages\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},\n",
    "       \"min_campaigns\": {\"type\": \"integer\"}\n",
    "      }\n",
    "     },\n",
    "     \"named\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}},\n",
    "     \"hold_named\": {\"type\": \"boolean\"},\n",
    "     \"status\": {\"type\": \"string\", \"enum\": [\"open\", \"withdrawn\", \"closed\"]},\n",
    "     \"x-fill\": {\"$ref\": \"#/components/schemas/Fill\"}\n",
    "    }\n",
    "   },\n",
    "   \"Offers\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"format\", \"vacancies\"],\n",
    "    \"properties\": {\n",
    "     \"format\": {\"type\": \"string\", \"enum\": [\"circulab-offers/1\"]},\n",
    "     \"employers\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Employer\"}},\n",
    "     \"vacancies\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Vacancy\"}},\n",
    "     \"next\": {\"type\": \"string\", \"nullable\": true}\n",
    "    }\n",
    "   },\n",
    "   \"Stored\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"stored\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\"stored\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}}\n",
    "   },\n",
    "   \"Withdrawn\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"withdrawn\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\"withdrawn\": {\"type\": \"string\"}}\n",
    "   },\n",
    "   \"Training\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"session\", \"course\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\"session\": {\"type\": \"string\"}, \"course\": {\"type\": \"string\"}}\n",
    "   },\n",
    "   \"Placement\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\n",
    "     \"id\",\n",
    "     \"vacancy\",\n",
    "     \"worker\",\n",
    "     \"state\",\n",
    "     \"start\",\n",
    "     \"end\",\n",
    "     \"site\",\n",
    "     \"training\"\n",
    "    ],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\n",
    "     \"id\": {\"type\": \"integer\"},\n",
    "     \"vacancy\": {\"type\": \"string\"},\n",
    "     \"worker\": {\"type\": \"string\"},\n",
    "     \"state\": {\n",
    "      \"type\": \"string\",\n",
    "      \"enum\": [\n",
    "       \"proposed\",\n",
    "       \"confirmed\",\n",
    "       \"declined\",\n",
    "       \"departed\",\n",
    "       \"returned\",\n",
    "       \"not_returned\",\n",
    "       \"cancelled\"\n",
    "      ]\n",
    "     },\n",
    "     \"start\": {\"type\": \"string\", \"format\": \"date\"},\n",
    "     \"end\": {\"type\": \"string\", \"format\": \"date\"},\n",
    "     \"site\": {\"type\": \"string\"},\n",
    "     \"training\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Training\"}},\n",
    "     \"name\": {\n",
    "      \"type\": \"string\",\n",
    "      \"nullable\": true,\n",
    "      \"description\": \"only from state confirmed on\"\n",
    "     }\n",
    "    }\n",
    "   },\n",
    "   \"Placements\": {\n",
    "    \"type\": \"object\",\n",
    "    \"required\": [\"placements\"],\n",
    "    \"additionalProperties\": false,\n",
    "    \"properties\": {\n",
    "     \"placements\": {\"type\": \"array\", \"items\": {\"$ref\": \"#/components/schemas/Placement\"}}\n",
    "    }\n",
    "   }\n",
    "  }\n",
    " }\n",
    "}\n",
};

typedef struct response {
    const char *status;
    const char *description;
    const char *schema;  /* a name of components/schemas; NULL: any object */
    bool retry_after;    /* documents the Retry-After header */
} response;

#define MAX_RESPONSES 8

typedef struct operation {
    const char *path;        /* operations of one path follow each other */
    const char *method;
    const char *summary;
    const char *description; /* NULL: none */
    bool open;               /* no token needed */
    const char *request[2];  /* the body's schemas (two: either); NULL: no body */
    response responses[MAX_RESPONSES]; /* before AUTH_RESPONSES */
} operation;

static const response AUTH_RESPONSES[] = {
    {"401", "no token, an unknown or a revoked token", "Error", false},
    {"429", "too many requests with this token; retry after the seconds of the "
            "Retry-After header", "Error", true},
    {"503", "the database stayed busy; retry after Retry-After", "Error", false},
};

static const operation OPERATIONS[] = {
    {"/employer", "get", "the token's employer with its sites", NULL, false, {NULL},
     {{"200", "the employer record", "Employer", false}}},
    {"/vacancies", "get",
     "the employer's vacancies, all states, as a circulab-offers/1 document; x-fill "
     "counts the open season's latest round", NULL, false, {NULL},
     {{"200", "the vacancies", "Offers", false}}},
    {"/vacancies", "post", "submit one vacancy or a circulab-offers/1 document",
     "New ids must begin with the employer's id and a hyphen. Vacancies are upserted "
     "by id; `status: withdrawn` withdraws one. All or nothing: one invalid vacancy "
     "stores nothing.", false, {"Vacancy", "Offers"},
     {{"201", "stored", "Stored", false},
      {"400", "malformed JSON", "Error", false},
      {"403", "the body names another employer", "Error", false},
      {"404", "an id of another employer's vacancy", "Error", false},
      {"409", "refused by the database's rules (headcount below the confirmed "
              "placements, withdrawal with confirmed placements)", "Error", false},
      {"413", "body over 1 MiB", "Error", false},
      {"422", "invalid vacancies; nothing stored", "ValidationErrors", false}}},
    {"/vacancies/{id}", "get", "one of the employer's vacancies", NULL, false, {NULL},
     {{"200", "the vacancy", "Vacancy", false},
      {"404", "no such vacancy of this employer", "Error", false}}},
    {"/vacancies/{id}", "put", "replace (or create) the vacancy", NULL, false,
     {"Vacancy", NULL},
     {{"200", "updated", "Stored", false},
      {"201", "created", "Stored", false},
      {"400", "malformed JSON", "Error", false},
      {"403", "the body names another employer", "Error", false},
      {"404", "another employer's vacancy", "Error", false},
      {"409", "refused by the database's rules", "Error", false},
      {"413", "body over 1 MiB", "Error", false},
      {"422", "invalid vacancy; nothing stored", "ValidationErrors", false}}},
    {"/vacancies/{id}", "delete", "withdraw the vacancy", NULL, false, {NULL},
     {{"200", "withdrawn", "Withdrawn", false},
      {"404", "no such vacancy of this employer", "Error", false},
      {"409", "the vacancy has confirmed placements", "Error", false}}},
    {"/placements", "get",
     "the employer's placements of the open season's latest round; the worker's name "
     "only from state confirmed on", NULL, false, {NULL},
     {{"200", "the placements", "Placements", false}}},
    {"/openapi.json", "get", "this description", NULL, true, {NULL},
     {{"200", "OpenAPI 3.0 document", NULL, false}}},
};

#define N_OPERATIONS (sizeof(OPERATIONS) / sizeof(OPERATIONS[0]))
#define N_AUTH (sizeof(AUTH_RESPONSES) / sizeof(AUTH_RESPONSES[0]))

static void put_lines(clb_buf *out, const char *const *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        clb__buf_puts(out, lines[i]);
}

/* `indent` spaces, "key": and the value as a JSON string. */
static void put_member(clb_buf *out, int indent, const char *key, const char *value)
{
    clb__buf_printf(out, "%*s\"%s\": ", indent, "", key);
    clb__buf_put_json_string(out, value);
}

static void put_response(clb_buf *out, const response *r, bool last)
{
    clb__buf_printf(out, "     \"%s\": {\n", r->status);
    put_member(out, 6, "description", r->description);
    clb__buf_puts(out, ",\n");
    if (r->retry_after)
        clb__buf_puts(out, "      \"headers\": {\"Retry-After\": {\"schema\": "
                           "{\"type\": \"integer\"}}},\n");
    if (r->schema)
        clb__buf_printf(out, "      \"content\": {\n"
                             "       \"application/json\": {\"schema\": {\"$ref\": "
                             "\"#/components/schemas/%s\"}}\n"
                             "      }\n", r->schema);
    else
        clb__buf_puts(out, "      \"content\": {\"application/json\": {\"schema\": "
                           "{\"type\": \"object\"}}}\n");
    clb__buf_puts(out, last ? "     }\n" : "     },\n");
}

static void put_request(clb_buf *out, const char *const request[2])
{
    clb__buf_puts(out, "    \"requestBody\": {\n"
                       "     \"required\": true,\n"
                       "     \"content\": {\n");
    if (!request[1])
        clb__buf_printf(out, "      \"application/json\": {\"schema\": {\"$ref\": "
                             "\"#/components/schemas/%s\"}}\n", request[0]);
    else
        clb__buf_printf(out, "      \"application/json\": {\n"
                             "       \"schema\": {\n"
                             "        \"oneOf\": [\n"
                             "         {\"$ref\": \"#/components/schemas/%s\"},\n"
                             "         {\"$ref\": \"#/components/schemas/%s\"}\n"
                             "        ]\n"
                             "       }\n"
                             "      }\n", request[0], request[1]);
    clb__buf_puts(out, "     }\n"
                       "    },\n");
}

static void put_operation(clb_buf *out, const operation *op)
{
    size_t n = 0, n_auth = op->open ? 0 : N_AUTH;
    while (n < MAX_RESPONSES && op->responses[n].status)
        n++;
    clb__buf_printf(out, "   \"%s\": {\n", op->method);
    put_member(out, 4, "summary", op->summary);
    clb__buf_puts(out, ",\n");
    if (op->description) {
        put_member(out, 4, "description", op->description);
        clb__buf_puts(out, ",\n");
    }
    if (op->open)
        clb__buf_puts(out, "    \"security\": [],\n");
    if (op->request[0])
        put_request(out, op->request);
    clb__buf_puts(out, "    \"responses\": {\n");
    for (size_t i = 0; i < n; i++)
        put_response(out, &op->responses[i], i + 1 == n && n_auth == 0);
    for (size_t i = 0; i < n_auth; i++)
        put_response(out, &AUTH_RESPONSES[i], i + 1 == n_auth);
    clb__buf_puts(out, "    }\n");
}

void clb__openapi_json(clb_buf *out)
{
    put_lines(out, HEAD, sizeof(HEAD) / sizeof(HEAD[0]));
    for (size_t i = 0; i < N_OPERATIONS; i++) {
        const operation *op = &OPERATIONS[i];
        bool first = i == 0 || strcmp(OPERATIONS[i - 1].path, op->path) != 0;
        bool last =
            i + 1 == N_OPERATIONS || strcmp(OPERATIONS[i + 1].path, op->path) != 0;
        if (first) {
            clb__buf_printf(out, "  \"%s\": {\n", op->path);
            if (strstr(op->path, "{id}"))
                clb__buf_puts(out, "   \"parameters\": [\n"
                                   "    {\n"
                                   "     \"name\": \"id\",\n"
                                   "     \"in\": \"path\",\n"
                                   "     \"required\": true,\n"
                                   "     \"schema\": {\"type\": \"string\"}\n"
                                   "    }\n"
                                   "   ],\n");
        }
        put_operation(out, op);
        clb__buf_puts(out, last ? "   }\n" : "   },\n");
        if (last)
            clb__buf_puts(out, i + 1 == N_OPERATIONS ? "  }\n" : "  },\n");
    }
    clb__buf_puts(out, " },\n");
    put_lines(out, COMPONENTS, sizeof(COMPONENTS) / sizeof(COMPONENTS[0]));
}
