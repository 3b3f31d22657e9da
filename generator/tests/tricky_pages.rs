//! The 30 tricky pages of ../shared/FORMAT-NOTES.md §10 (plus a few more it lists), each with what it
//! must yield. Each version of the corpus is built once and shared by the tests, so resolution across
//! pages (merged types, inherited properties, linked types) is part of what is checked.

mod common;

use std::sync::OnceLock;

use docbind::ir::{Model, Operation, Primitive, RequestLine, TypeDef, TypeTarget};
use docbind::Input;

fn model(version: &str) -> &'static Model {
    static V1: OnceLock<Model> = OnceLock::new();
    static BETA: OnceLock<Model> = OnceLock::new();
    let cell = if version == "v1.0" { &V1 } else { &BETA };
    cell.get_or_init(|| {
        let corpus = common::corpus().expect("each test checks for the corpus first");
        docbind::build_model(&Input::read(&[corpus.join(version)]).expect("corpus is readable"))
    })
}

/// The request lines of a page, in its order.
fn request_lines(version: &str, file: &str) -> Vec<&'static RequestLine> {
    let lines: Vec<_> = model(version).calls().map(|(_, c)| c.line).filter(|l| *l.source.file == *file).collect();
    assert!(!lines.is_empty(), "{version}/{file} yields no operation");
    lines
}

/// The operation of a page.
fn operation(version: &str, file: &str) -> &'static Operation {
    let mut found = model(version).operations.iter().filter(|o| *o.request_lines[0].source.file == *file);
    let operation = found.next().unwrap_or_else(|| panic!("{version}/{file} yields no operation"));
    assert!(found.next().is_none(), "one operation per page");
    operation
}

fn codes(version: &str, file: &str) -> Vec<(String, u32)> {
    model(version).diagnostics.iter().filter(|d| d.file == file).map(|d| (d.code.clone(), d.line)).collect()
}

fn type_def(version: &str, name: &str) -> &'static TypeDef {
    model(version)
        .types
        .iter()
        .find(|t| t.name.eq_ignore_ascii_case(name))
        .unwrap_or_else(|| panic!("no type {name} in {version}"))
}

fn named(target: &TypeTarget) -> &str {
    match target {
        TypeTarget::Named(name) => name,
        other => panic!("expected a named type, got {other:?}"),
    }
}

fn params(op: &RequestLine) -> Vec<&str> {
    op.path_parameters.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn p01_user_get_alternative_keys_two_blocks_and_tab_markers() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/user-get.md");
    assert_eq!(ops.iter().map(|o| o.path.as_str()).collect::<Vec<_>>(), ["/users/{id | userPrincipalName}", "/me"]);
    assert_eq!(ops[0].path_parameters[0].name, "id");
    assert_eq!(ops[0].path_parameters[0].alternatives, ["userPrincipalName"]);
    // Three examples, each a request with its response, though DocFX tabs sit between them; each
    // goes to the request line its URL matches.
    let examples: Vec<_> = ops.iter().flat_map(|o| &o.examples).collect();
    assert_eq!(examples.len(), 3);
    assert!(examples.iter().all(|e| e.request.is_some() && e.response.is_some()));
    assert!(ops[1].examples.iter().all(|e| e.request.as_ref().unwrap().url.contains("/me")));
    assert_eq!(named(&ops[0].response.type_ref.as_ref().unwrap().target), "microsoft.graph.user");
}

#[test]
fn p02_calendar_delete_blocks_introduced_by_prose() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/calendar-delete.md");
    assert_eq!(ops.len(), 4);
    assert!(ops.iter().all(|o| o.method == docbind::ir::Method::Delete && o.response.status == Some(204)));
}

#[test]
fn p03_eighty_template_lines_with_query_strings() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("beta", "api/singlevaluelegacyextendedproperty-get.md");
    assert_eq!(ops.len(), 80);
    let query = ops[0].path_template.query.as_deref().unwrap();
    assert_eq!(query, "$expand=singleValueExtendedProperties($filter=id eq '{id_value}')");
}

#[test]
fn p04_multipart_request_annotated_ignored() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/section-post-pages.md");
    assert!(ops.iter().all(|o| o.method == docbind::ir::Method::Post));
    assert!(codes("v1.0", "api/section-post-pages.md").iter().all(|(c, _)| c != "DB004"));
}

#[test]
fn p05_put_content_raw_body_and_path_addressing() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/driveitem-put-content.md");
    assert_eq!(ops.len(), 10, "two template blocks of five lines each");
    assert!(ops.iter().any(|o| o.path == "/me/drive/items/{parent-id}:/{filename}:/content"));
    // The example by path goes to the line by id that it is an alias of.
    let by_id = ops.iter().find(|o| o.path == "/me/drive/items/{item-id}/content").unwrap();
    let examples: Vec<_> = by_id.examples.iter().filter_map(|e| e.request.as_ref()).collect();
    assert!(examples.iter().any(|r| r.url.contains("/me/drive/root:/FolderA/FileB.txt:/content") && r.body.is_none()));
    assert!(codes("v1.0", "api/driveitem-put-content.md").iter().all(|(c, _)| c != "DB004"));
}

#[test]
fn p06_resource_block_inside_an_api_page() {
    if common::corpus().is_none() {
        return;
    }
    request_lines("v1.0", "api/driveitem-createuploadsession.md");
    let def = type_def("v1.0", "microsoft.graph.driveItemUploadableProperties");
    assert!(def.properties.iter().any(|p| p.name == "@microsoft.graph.conflictBehavior"), "{:?}", def.properties);
}

#[test]
fn p07_function_parameters_in_the_path_and_a_302() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/reportroot-getemailactivityuserdetail.md");
    assert_eq!(params(ops[0]), ["period_value"]);
    assert_eq!(params(ops[1]), ["date_value"]);
    assert!(ops.iter().all(|o| o.response.status == Some(302)));
}

#[test]
fn p08_function_with_several_named_arguments() {
    if common::corpus().is_none() {
        return;
    }
    // The request line writes example values (`image(width=640,height=480,fittingMode='fit')`);
    // each named argument is a parameter of the function, not a value every call sends.
    let ops = request_lines("v1.0", "api/chart-image.md");
    let three =
        ops.iter().find(|o| o.path.contains("image(width={width},height={height},fittingMode='{fittingMode}')"));
    let three = three.unwrap_or_else(|| panic!("{:?}", ops.iter().map(|o| &o.path).collect::<Vec<_>>()));
    assert_eq!(params(three)[3..], ["width", "height", "fittingMode"]);
    let response = ops[0].response.type_ref.as_ref().unwrap();
    assert_eq!(response.target, TypeTarget::Primitive(Primitive::String), "Edm.String");
}

#[test]
fn p09_enum_literal_as_function_argument() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/outlookuser-supportedtimezones.md");
    let op = ops.iter().find(|o| o.path.contains("TimeZoneStandard=")).expect("the enum-argument line");
    assert_eq!(params(op), ["timezone_format"]);
    assert!(op.response.type_ref.as_ref().unwrap().collection);
}

#[test]
fn p10_eleven_lines_mixing_id_and_path_addressing() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/driveitem-get.md");
    assert_eq!(ops.len(), 11);
    assert!(ops.iter().any(|o| params(o) == ["drive-id", "item-path"] && o.path.contains("root:/{item-path}")));
}

#[test]
fn p11_type_cast_segments_without_annotations() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/directory-deleteditems-list.md");
    assert!(ops.iter().any(|o| o.path.ends_with("/microsoft.graph.application")));
    assert!(ops.iter().all(|o| o.response.status == Some(200)));
}

#[test]
fn p12_annotation_with_an_unquoted_key() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/user-getmailtips.md");
    assert!(codes("v1.0", "api/user-getmailtips.md").iter().any(|(c, _)| c == "DB003"));
    assert!(ops[0].response.type_ref.as_ref().unwrap().collection, "isCollection: true was read");
}

#[test]
fn p13_example_blocks_and_trailing_commas() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/application-post-calls.md");
    let lenient = codes("v1.0", "api/application-post-calls.md").iter().filter(|(c, _)| c == "DB005").count();
    assert!(lenient >= 3, "trailing commas are read leniently, with a note each");
    assert!(ops[0].examples.iter().filter(|e| e.request.as_ref().is_some_and(|r| r.body.is_some())).count() >= 3);
}

#[test]
fn p14_request_body_that_is_not_json() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/page-update.md");
    assert!(codes("v1.0", "api/page-update.md").contains(&("DB004".to_string(), 58)));
    assert!(ops.iter().all(|o| o.method == docbind::ir::Method::Patch));
}

#[test]
fn p15_comment_holding_a_fence_is_one_comment() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("beta", "api/unifiedrolemanagementpolicyrule-update.md");
    assert_eq!(ops.len(), 2);
    assert!(codes("beta", "api/unifiedrolemanagementpolicyrule-update.md").iter().any(|(c, _)| c == "DB002"));
}

#[test]
fn p16_request_block_with_two_request_lines() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("v1.0", "api/user-list-agreementacceptances.md");
    let request = ops[0].examples[0].request.as_ref().unwrap();
    assert_eq!(request.method, docbind::ir::Method::Get);
    assert!(request.url.contains("agreementAcceptances"));
}

#[test]
fn p17_description_continuing_on_the_next_line() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("beta", "microsoft.graph.windowsDeliveryOptimizationConfiguration");
    assert!(def.properties.iter().all(|p| !p.name.contains(' ')), "prose became a property");
    assert!(def.properties.iter().any(|p| p.name == "deliveryOptimizationMode"));
}

#[test]
fn p18_unescaped_pipe_and_the_intune_template() {
    if common::corpus().is_none() {
        return;
    }
    let file = "api/intune-deviceconfig-ioscustomconfiguration-create.md";
    let ops = request_lines("v1.0", file);
    assert!(codes("v1.0", file).iter().any(|(c, _)| c == "DB014"));
    assert_eq!(ops[0].response.status, Some(201));
    assert!(ops[0].examples.iter().any(|e| e.request.is_some() && e.response.is_some()), "paired by headings");
}

#[test]
fn p19_todo_in_the_permission_table() {
    if common::corpus().is_none() {
        return;
    }
    let file = "api/intune-cirrus-officeclientconfigurationassignment-get.md";
    assert!(codes("v1.0", file).iter().any(|(c, _)| c == "DB010"));
    assert!(operation("v1.0", file).permissions.iter().all(|p| p.scopes.iter().all(|s| !s.contains("TODO"))));
}

#[test]
fn p20_driveitem_comments_reference_links_open_type_instance_attributes() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.driveItem");
    assert!(def.open);
    let audio = def.properties.iter().find(|p| p.name == "audio").unwrap();
    assert_eq!(named(&audio.type_ref.target), "microsoft.graph.audio", "reference-style link in the Type cell");
    assert!(def.properties.iter().any(|p| p.name == "@microsoft.graph.downloadUrl"));
    assert!(codes("v1.0", "resources/driveitem.md").iter().any(|(c, _)| c == "DB005"), "`//` comments read leniently");
}

#[test]
fn p21_device_management_merged_over_many_pages() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.deviceManagement");
    let pages: std::collections::BTreeSet<_> = def.properties.iter().map(|p| &*p.source.file).collect();
    assert!(pages.len() >= 12, "properties come from {} pages", pages.len());
}

#[test]
fn p22_relationship_listed_twice_in_one_table() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("beta", "microsoft.graph.deviceManagement");
    let mut names: Vec<_> = def.properties.iter().map(|p| p.name.as_str()).collect();
    let total = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), total, "no duplicate properties");
}

#[test]
fn p23_user_defined_in_four_files() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.user");
    for page in [
        "resources/user.md",
        "resources/intune-devices-user.md",
        "resources/intune-mam-user.md",
        "resources/intune-onboarding-user.md",
    ] {
        assert!(def.properties.iter().any(|p| *p.source.file == *page), "nothing from {page}");
    }
}

#[test]
fn p24_three_resource_blocks_and_recursion() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("beta", "microsoft.graph.attributeMappingSource");
    let parameters = def.properties.iter().find(|p| p.name == "parameters").unwrap();
    assert!(parameters.type_ref.collection);
    let pair = type_def("beta", named(&parameters.type_ref.target));
    let value = pair.properties.iter().find(|p| p.name == "value").unwrap();
    assert_eq!(named(&value.type_ref.target), "microsoft.graph.attributeMappingSource");
    assert!(codes("beta", "resources/synchronization-attributemappingsource.md").iter().all(|(c, _)| c != "DB011"));
}

#[test]
fn p25_enums_page_with_many_table_shapes() {
    if common::corpus().is_none() {
        return;
    }
    let enums: Vec<_> = model("v1.0").enums.iter().filter(|e| &*e.source.file == "resources/enums.md").collect();
    assert!(enums.len() >= 135, "{} enums", enums.len());
    let with_values = enums.iter().filter(|e| e.members.iter().any(|m| m.value.is_some())).count();
    assert!(with_values >= 20 && with_values < enums.len(), "both valued and plain member tables");
}

#[test]
fn p26_enum_types_page_in_another_namespace() {
    if common::corpus().is_none() {
        return;
    }
    let enums: Vec<_> =
        model("beta").enums.iter().filter(|e| &*e.source.file == "resources/enums-managedtenants.md").collect();
    assert!(enums.len() >= 5);
    assert!(
        enums.iter().all(|e| e.namespace == "microsoft.graph.managedTenants"),
        "{:?}",
        enums.iter().map(|e| &e.namespace).collect::<Vec<_>>()
    );
}

#[test]
fn p27_front_matter_opening_with_a_trailing_space() {
    if common::corpus().is_none() {
        return;
    }
    assert!(codes("v1.0", "resources/muteparticipantoperation.md").is_empty());
    type_def("v1.0", "microsoft.graph.muteParticipantOperation");
}

#[test]
fn p28_keyword_property_and_a_five_level_chain() {
    if common::corpus().is_none() {
        return;
    }
    let notebook = type_def("v1.0", "microsoft.graph.notebook");
    assert!(notebook.properties.iter().any(|p| p.name == "self"));
    let mut chain = vec![notebook.name.clone()];
    let mut current = notebook;
    while let Some(base) = &current.base {
        chain.push(base.clone());
        current = type_def("v1.0", base);
    }
    assert_eq!(
        chain,
        [
            "microsoft.graph.notebook",
            "microsoft.graph.onenoteEntityHierarchyModel",
            "microsoft.graph.onenoteEntitySchemaObjectModel",
            "microsoft.graph.onenoteEntityBaseModel",
            "microsoft.graph.entity"
        ]
    );
    assert!(notebook.properties.iter().any(|p| p.name == "id"), "inherited from entity");
}

#[test]
fn p29_odata_property_names() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.resourceData");
    for name in ["@odata.type", "@odata.id", "@odata.etag"] {
        assert!(def.properties.iter().any(|p| p.name == name), "{name}");
    }
}

#[test]
fn p30_open_type_with_dynamic_keys() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.plannerChecklistItems");
    assert!(def.open);
    assert!(codes("v1.0", "resources/plannerchecklistitems.md").is_empty());
}

#[test]
fn also_union_types_are_unknown_with_a_diagnostic() {
    if common::corpus().is_none() {
        return;
    }
    let def = type_def("v1.0", "microsoft.graph.call");
    let media = def.properties.iter().find(|p| p.name == "mediaConfig").unwrap();
    assert!(matches!(media.type_ref.target, TypeTarget::Unknown(_)));
    assert!(codes("v1.0", "resources/call.md").iter().any(|(c, line)| c == "DB006" && *line == media.source.line));
}

#[test]
fn also_self_reference_and_abstract_base() {
    if common::corpus().is_none() {
        return;
    }
    let post = type_def("v1.0", "microsoft.graph.post");
    let in_reply_to = post.properties.iter().find(|p| p.name == "inReplyTo").unwrap();
    assert_eq!(named(&in_reply_to.type_ref.target), "microsoft.graph.post");
    assert!(!in_reply_to.type_ref.collection);
    assert!(type_def("v1.0", "microsoft.graph.attachment").abstract_);
}

#[test]
fn also_seed_nearest_real_page_json_without_a_blank_line() {
    if common::corpus().is_none() {
        return;
    }
    let ops = request_lines("beta", "api/termstore-relation-post.md");
    let response = ops[0].examples.iter().find_map(|e| e.response.as_ref()).unwrap();
    assert!(response.body.is_some(), "the JSON right after the headers is the body");
}
