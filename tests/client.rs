//! The generated termStore client: request values built by walking the documented paths, and a
//! round trip through the runtime client against a local HTTP server.

use docbind_runtime::{Client, Error, Method, StaticToken};
use docbind_termstore::term_store::{self, Relation, RelationType, TermGroupScope};
use docbind_termstore::{sites, term_stores};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SITE: &str = "contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A";

#[test]
fn seed_update_relations_request() {
    let body = Relation { relationship: Some(RelationType::Reuse), ..Relation::default() };
    let request = term_stores().id("store 1").groups().id("group/../2").sets().id("set?#3").relations().update(&body);
    assert_eq!(request.method(), Method::Patch);
    assert_eq!(request.api_version(), "beta");
    assert_eq!(request.path().unwrap(), "/termStores/store%201/groups/group%2F..%2F2/sets/set%3F%233/relations");
    assert_eq!(request.body(), Some(&json!({ "relationship": "reuse" })));
}

#[test]
fn a_step_can_be_kept_and_walked_on() {
    let group = sites().id(SITE).term_store().groups().id("g1");
    let sets = group.sets().list();
    let group = group.get();
    assert_eq!(sets.path().unwrap(), format!("/sites/{SITE}/termStore/groups/g1/sets"));
    assert_eq!(group.path().unwrap(), format!("/sites/{SITE}/termStore/groups/g1"));
    assert_eq!(sets.method(), Method::Get);
}

#[test]
fn open_enums_keep_values_the_docs_do_not_list() {
    let relation: Relation = serde_json::from_value(json!({ "id": "r1", "relationship": "mirror" })).unwrap();
    assert_eq!(relation.relationship, Some(RelationType::Undocumented("mirror".into())));
    assert_eq!(serde_json::to_value(&relation).unwrap(), json!({ "id": "r1", "relationship": "mirror" }));
}

#[test]
fn dot_segments_are_refused() {
    let request = sites().id(SITE).term_store().groups().id("..").get();
    assert!(matches!(request.path(), Err(Error::InvalidRequest(_))));
}

#[tokio::test]
async fn get_group_round_trip_returns_the_typed_group() {
    let server = MockServer::start().await;
    let group = json!({
        "id": "1b4a0c5e",
        "displayName": "Departments",
        "scope": "siteCollection",
        "createdDateTime": "2024-03-05T10:11:12Z",
        "sets": [{ "id": "s1", "localizedNames": [{ "languageTag": "en-US", "name": "Locations" }] }]
    });
    Mock::given(method("GET"))
        .and(path(format!("/v1.0/sites/{SITE}/termStore/groups/1b4a0c5e")))
        .and(header("authorization", "Bearer test-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&group))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::with_base_url(&server.uri()).with_token_provider(StaticToken("test-token".into()));
    let got = client.send(sites().id(SITE).term_store().groups().id("1b4a0c5e").get()).await.expect("typed group");
    assert_eq!(got.display_name.as_deref(), Some("Departments"));
    assert_eq!(got.scope, Some(TermGroupScope::SiteCollection));
    // `sets` is a relationship: kept as sent, read into its type on demand.
    let mut sets = got.sets.as_ref().expect("sets").decode().expect("sets read as sets");
    assert_eq!(sets[0].localized_names.as_ref().unwrap()[0].name.as_deref(), Some("Locations"));
    // Nothing documented is lost on the way back.
    assert_eq!(serde_json::to_value(&got).unwrap(), group);
    // Clone, equality and Debug work through the type's field table.
    let mut copy = got.clone();
    assert_eq!(copy, got);
    sets[0].description = Some("changed".into());
    copy.sets = Some(docbind_runtime::Related::new(&sets).expect("sets written as JSON"));
    assert_ne!(copy, got);
    let debug = format!("{got:?}");
    assert!(
        debug.starts_with("microsoft.graph.termStore.group {") && debug.contains("displayName: \"Departments\""),
        "{debug}"
    );
}

#[tokio::test]
async fn create_and_list_and_delete_round_trips() {
    let server = MockServer::start().await;
    let base = format!("/v1.0/sites/{SITE}/termStore");
    Mock::given(method("POST"))
        .and(path(format!("{base}/groups")))
        .and(body_json(json!({ "displayName": "Departments" })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({ "id": "g1", "displayName": "Departments" })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{base}/groups")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "value": [{ "id": "g1" }, { "id": "g2" }],
            "@odata.nextLink": "https://graph.microsoft.com/v1.0/next"
        })))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("{base}/groups/g1")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());

    let new_group = term_store::Group { display_name: Some("Departments".into()), ..Default::default() };
    let created = client.send(sites().id(SITE).term_store().groups().create(&new_group)).await.unwrap();
    assert_eq!(created.id.as_deref(), Some("g1"));

    let page = client.send(sites().id(SITE).term_store().groups().list()).await.unwrap();
    assert_eq!(page.value.iter().map(|g| g.id.as_deref().unwrap()).collect::<Vec<_>>(), ["g1", "g2"]);
    assert_eq!(page.next_link.as_deref(), Some("https://graph.microsoft.com/v1.0/next"));

    let () = client.send(sites().id(SITE).term_store().groups().id("g1").delete()).await.unwrap();
}

#[tokio::test]
async fn graph_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "error": { "code": "itemNotFound", "message": "The group does not exist.",
                       "innerError": { "request-id": "req-42" } }
        })))
        .mount(&server)
        .await;
    let client = Client::with_base_url(&server.uri());
    match client.send(sites().id(SITE).term_store().groups().id("missing").get()).await {
        Err(Error::Graph { status, error, .. }) => {
            assert_eq!(status, 404);
            assert_eq!(error.code, "itemNotFound");
            assert_eq!(error.request_id(), Some("req-42"));
        }
        other => panic!("expected a Graph error, got {other:?}"),
    }
}
