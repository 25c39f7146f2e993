//! The OpenRPC 1.3 document of the API, and the Markdown reference generated from it.

use schemars::generate::SchemaSettings;
use serde_json::{json, Map, Value};

use crate::methods;

/// Builds the OpenRPC document from the method table and the types' JSON Schemas.
pub fn document(version: &str) -> Value {
    let mut generator = SchemaSettings::draft07()
        .with(|s| s.definitions_path = "#/components/schemas/".into())
        .into_generator();
    let mut list = Vec::new();
    for m in methods::all() {
        let params = (m.params)(&mut generator);
        let result = (m.result)(&mut generator);
        list.push(json!({
            "name": m.name,
            "summary": m.summary,
            "paramStructure": "by-name",
            "params": [{"name": "params", "required": false, "schema": params}],
            "result": {"name": "result", "schema": result},
            "x-access": m.access,
        }));
    }
    let schemas: Map<String, Value> = generator.take_definitions(true).into_iter().collect();
    json!({
        "openrpc": "1.3.2",
        "info": {
            "title": "hikyaku JSON-RPC API",
            "version": version,
            "description": "Sending API, delivery log, block lists, statistics, queue, settings and users of the hikyaku mail delivery engine. Every method takes one object of named parameters."
        },
        "methods": list,
        "components": {"schemas": schemas},
    })
}

/// Renders the document as the Markdown of `docs/rpc.md`.
pub fn markdown(doc: &Value) -> String {
    let mut out = String::new();
    out.push_str("# JSON-RPC API reference\n\n");
    out.push_str("<!-- Generated from the OpenRPC document (`rpc.discover`) by\n");
    out.push_str("     `cargo run -p hikyaku-rpc --bin hikyaku-rpc-doc > docs/rpc.md`;\n");
    out.push_str("     a test fails when this file is stale. Do not edit by hand. -->\n\n");
    out.push_str(
        "Transport: JSON-RPC 2.0 over HTTP POST or WebSocket, default `http://127.0.0.1:8525`.\n\
         Authenticate with `Authorization: Bearer <API key or session token>`. Parameters are one\n\
         object passed by name. Error codes: see `hikyaku_rpc::errors` (-32602 invalid params with\n\
         the offending field named, -32001 unauthenticated, -32003 forbidden, -32004 IP not allowed,\n\
         -32005 rate limited, -32006 account locked, -32010 not found, -32011 conflict,\n\
         -32050 unavailable).\n\n",
    );
    out.push_str("| method | access | summary |\n| --- | --- | --- |\n");
    let methods = doc["methods"].as_array().cloned().unwrap_or_default();
    for m in &methods {
        out.push_str(&format!(
            "| [`{0}`](#{1}) | {2} | {3} |\n",
            m["name"].as_str().unwrap_or(""),
            m["name"].as_str().unwrap_or("").replace('.', ""),
            m["x-access"].as_str().unwrap_or(""),
            m["summary"].as_str().unwrap_or("")
        ));
    }
    for m in &methods {
        let name = m["name"].as_str().unwrap_or("");
        out.push_str(&format!(
            "\n## {name}\n\n{}\n\n",
            m["summary"].as_str().unwrap_or("")
        ));
        out.push_str(&format!(
            "Access: `{}`\n\n",
            m["x-access"].as_str().unwrap_or("")
        ));
        out.push_str(&format!(
            "Params: {}\n\nResult: {}\n",
            type_ref(&m["params"][0]["schema"]),
            type_ref(&m["result"]["schema"])
        ));
    }
    out.push_str("\n# Types\n");
    if let Some(schemas) = doc["components"]["schemas"].as_object() {
        for (name, schema) in schemas {
            out.push_str(&format!("\n## {name}\n\n"));
            if let Some(d) = schema["description"].as_str() {
                out.push_str(&format!("{}\n\n", d.replace('\n', " ")));
            }
            if let Some(props) = schema["properties"].as_object() {
                let required: Vec<&str> = schema["required"]
                    .as_array()
                    .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                out.push_str(
                    "| field | type | required | description |\n| --- | --- | --- | --- |\n",
                );
                for (field, p) in props {
                    out.push_str(&format!(
                        "| `{field}` | {} | {} | {} |\n",
                        type_ref(p),
                        if required.contains(&field.as_str()) {
                            "yes"
                        } else {
                            ""
                        },
                        p["description"].as_str().unwrap_or("").replace('\n', " ")
                    ));
                }
            } else if let Some(variants) = schema["oneOf"].as_array().or(schema["enum"].as_array())
            {
                out.push_str("One of:\n\n");
                for v in variants {
                    let label = v["const"]
                        .as_str()
                        .or(v.as_str())
                        .map(|s| format!("`\"{s}\"`"))
                        .unwrap_or_else(|| type_ref(v));
                    let desc = v["description"].as_str().unwrap_or("").replace('\n', " ");
                    out.push_str(&format!("- {label} {desc}\n"));
                }
            }
        }
    }
    out
}

/// A short human name for a schema: a link for references, else its JSON type.
fn type_ref(schema: &Value) -> String {
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("[{name}](#{})", name.to_lowercase());
    }
    if let Some(all) = schema["allOf"].as_array() {
        if let Some(first) = all.first() {
            return type_ref(first);
        }
    }
    if let Some(any) = schema["anyOf"].as_array() {
        let parts: Vec<String> = any.iter().map(type_ref).collect();
        return parts.join(" or ");
    }
    match &schema["type"] {
        Value::String(t) if t == "array" => format!("array of {}", type_ref(&schema["items"])),
        Value::String(t) => t.clone(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" or "),
        _ if schema.as_bool() == Some(true) || schema.as_object().is_some_and(|o| o.is_empty()) => {
            "any".into()
        }
        _ => "object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_method_is_documented_once() {
        let doc = document("test");
        let names: Vec<&str> = doc["methods"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["name"].as_str().unwrap())
            .collect();
        let mut dedup = names.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), names.len(), "duplicate method names");
        for ns in [
            "send.",
            "deliveries.",
            "blocks.",
            "stats.",
            "settings.",
            "users.",
            "queue.",
            "system.",
        ] {
            assert!(
                names.iter().any(|n| n.starts_with(ns)),
                "namespace {ns} missing"
            );
        }
        assert!(doc["components"]["schemas"]["SendSingle"]["properties"]["to"].is_object());
    }

    #[test]
    fn docs_rpc_md_is_current() {
        // The checkout running the test (cargo sets this at run time), not the one that built it.
        let crate_dir = std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string());
        let path = format!("{crate_dir}/../docs/rpc.md");
        let expected = markdown(&document(env!("CARGO_PKG_VERSION")));
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "docs/rpc.md is stale: run `cargo run -p hikyaku-rpc --bin hikyaku-rpc-doc > docs/rpc.md`"
        );
    }
}
