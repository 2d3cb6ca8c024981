//! `docs/ENDPOINTS.md`: every operation of `protocol/openapi.json` as a
//! table, written by `cargo xtask openapi` beside the document, so the
//! list in the docs cannot fall behind the server (a test compares them).

use serde_json::Value;

/// Where the table is written, relative to the workspace root.
pub(crate) const PATH: &str = "docs/ENDPOINTS.md";

/// The Markdown of `docs/ENDPOINTS.md` for the OpenAPI document `doc`.
pub(crate) fn markdown(doc: &Value) -> String {
    let mut out = String::from(
        "# Endpoints\n\n\
         Generated from `protocol/openapi.json` by `cargo xtask openapi`; do not edit by\n\
         hand. Paths are under the server's origin; `{x}` is a path parameter. The prose\n\
         (who may call what, paging, limits) is in [CONTRACT.md](CONTRACT.md).\n\n\
         | method and path | query | body → success | what |\n\
         |---|---|---|---|\n",
    );
    let mut n = 0;
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            for method in ["get", "put", "post", "delete", "patch"] {
                let op = &ops[method];
                if op.is_null() {
                    continue;
                }
                n += 1;
                let query: Vec<String> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "query")
                    .filter_map(|p| p["name"].as_str())
                    .map(|q| format!("`{q}`"))
                    .collect();
                let body = content_schema(&op["requestBody"]["content"]);
                let (status, answer) = success(&op["responses"]);
                let answer = match (body.is_empty(), answer.is_empty()) {
                    (true, true) => status,
                    (true, false) => format!("→ {status} {answer}"),
                    (false, true) => format!("{body} → {status}"),
                    (false, false) => format!("{body} → {status} {answer}"),
                };
                let what = op["summary"]
                    .as_str()
                    .or_else(|| op["description"].as_str())
                    .unwrap_or("")
                    .lines()
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push_str(&format!(
                    "| {} `{}` | {} | {} | {} |\n",
                    method.to_uppercase(),
                    path,
                    query.join(", "),
                    cell(&answer),
                    cell(&what)
                ));
            }
        }
    }
    out.push_str(&format!("\n{n} operations.\n"));
    out
}

/// The first 2xx (or 3xx) response: its status and schema name.
fn success(responses: &Value) -> (String, String) {
    let Some(map) = responses.as_object() else {
        return (String::new(), String::new());
    };
    map.iter()
        .find(|(code, _)| code.starts_with('2'))
        .or_else(|| map.iter().find(|(code, _)| code.starts_with('3')))
        .map(|(code, r)| (code.clone(), content_schema(&r["content"])))
        .unwrap_or_default()
}

/// `Name` of a `$ref`, `[Name]` of an array of them, or the media type.
fn content_schema(content: &Value) -> String {
    let Some(map) = content.as_object() else {
        return String::new();
    };
    map.iter()
        .map(|(media, c)| {
            let s = &c["schema"];
            match (name(s), name(&s["items"])) {
                (Some(n), _) => format!("`{n}`"),
                (None, Some(n)) => format!("`[{n}]`"),
                _ => format!("`{media}`"),
            }
        })
        .collect::<Vec<_>>()
        .join(" or ")
}

fn name(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str()?.rsplit('/').next()
}

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .map(std::path::Path::to_path_buf)
            .unwrap_or_default()
    }

    #[test]
    fn docs_list_every_operation_of_the_document() {
        let doc: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("protocol/openapi.json")).unwrap_or_default(),
        )
        .unwrap_or(Value::Null);
        let want = markdown(&doc);
        let have = std::fs::read_to_string(root().join(PATH)).unwrap_or_default();
        assert!(
            want == have,
            "{PATH} is stale: run `cargo xtask openapi` to regenerate it"
        );
    }
}
