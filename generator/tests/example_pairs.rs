//! How documented request/response pairs become tests of the generated client, and why some cannot:
//! query placeholders in request lines, values written where placeholders belong, error examples,
//! responses widened to the types the examples show, and the reasons a pair is left out.

use docbind::ir::{Call, Model, Untestable};
use docbind::Input;

fn input(pages: &[(&str, &str)]) -> Input {
    Input {
        includes: Default::default(),
        pages: pages.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect(),
        name: "test".into(),
    }
}

fn request_line<'m>(model: &'m Model, path: &str) -> Call<'m> {
    model.calls().map(|(_, c)| c).find(|c| c.line.path == path).unwrap_or_else(|| panic!("no request line {path}"))
}

fn examples_file(pages: &[(&str, &str)]) -> String {
    docbind::generate_with(&input(pages), true).1["examples.rs"].clone()
}

const EVENT: &str = r#"---
title: "event resource type"
---
# event resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
|subject|String|Subject.|
"#;

/// A request line with `?startDateTime={start_datetime}`, an example with the values in another
/// case and order, and a blank line between the request line and its headers (as Intune pages do).
const CALENDAR_VIEW: &str = r#"---
title: "List calendarView"
---
# List calendarView
Namespace: microsoft.graph

## HTTP request
``` http
GET /me/calendarView?startDateTime={start_datetime}&endDateTime={end_datetime}
```

## Response
If successful, this method returns a `200 OK` response code and a collection of [event](../resources/event.md) objects in the response body.

## Example
### Request
<!-- { "blockType": "request", "name": "get_calendarview" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/calendarView?enddatetime=2017-01-07T19:00:00-08:00&startdatetime=2017-01-01T19:00:00-08:00&$select=subject

Prefer: outlook.timezone="Pacific Standard Time"
```

### Response
<!-- { "blockType": "response", "truncated": true, "@odata.type": "microsoft.graph.event", "isCollection": true } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json

{ "value": [ { "id": "1", "subject": "Review" } ] }
```
"#;

#[test]
fn query_placeholders_of_request_lines_are_parameters_the_example_fills() {
    let pages = [("api/user-list-calendarview.md", CALENDAR_VIEW), ("resources/event.md", EVENT)];
    let model = docbind::build_model(&input(&pages));
    let list = request_line(&model, "/me/calendarView");
    assert_eq!(list.line.query_parameters(), ["start_datetime", "end_datetime"]);
    let values = list.example_values(&list.line.examples[0]).expect("the example fits its request line");
    assert_eq!(values.query, ["2017-01-01T19:00:00-08:00", "2017-01-07T19:00:00-08:00"]);
    assert_eq!(values.extra_query, [("$select".to_string(), "subject".to_string())]);
    let headers = &list.line.examples[0].request.as_ref().unwrap().headers;
    assert_eq!(headers[0].0, "Prefer", "a blank line before the headers does not end them");

    let (_, files) = docbind::generate_with(&input(&pages), true);
    let paths = &files["paths.rs"];
    assert!(paths.contains("start_datetime: &str,"), "{paths}");
    assert!(paths.contains(r#".query("startDateTime", start_datetime)"#), "the value is not sent literally: {paths}");
    let examples = &files["examples.rs"];
    assert!(examples.contains(r#""2017-01-01T19:00:00-08:00","#), "{examples}");
    assert!(examples.contains(r#".query("$select", "subject")"#), "{examples}");
}

/// Literal ids and parameters without braces in the request line; an example that answers with an
/// error; one whose URL is another resource.
const ASSIGNMENT: &str = r#"---
title: "Get rowsAbove"
---
# Get rowsAbove
Namespace: microsoft.graph

## HTTP request
``` http
GET /education/classes/acdefc6b-2dc6-4e71-b1e9-6d9810ab1793/range/rowsAbove(count=n)
```

## Response
If successful, this method returns a `200 OK` response code and an [event](../resources/event.md) object in the response body.

## Examples
### Request
<!-- { "blockType": "request", "name": "rows_above" } -->
``` http
GET https://graph.microsoft.com/v1.0/education/classes/11010/range/rowsAbove(count=2)
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json

{ "id": "2", "subject": "Row" }
```

### Request
<!-- { "blockType": "request", "name": "rows_above_missing" } -->
``` http
GET https://graph.microsoft.com/v1.0/education/classes/11010/range/rowsAbove(count=200000)
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 404 Not Found
Content-type: application/json

{ "error": { "code": "itemNotFound", "message": "No such row." } }
```

### Request
<!-- { "blockType": "request", "name": "other_resource" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/events
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json

{ "id": "3" }
```
"#;

#[test]
fn values_written_into_request_lines_become_parameters_and_error_examples_expect_graph_errors() {
    let pages = [("api/range-rowsabove.md", ASSIGNMENT), ("resources/event.md", EVENT)];
    let model = docbind::build_model(&input(&pages));
    let rows = request_line(&model, "/education/classes/{classes-id}/range/rowsAbove(count={count})");
    assert_eq!(rows.example_values(&rows.line.examples[0]).unwrap().path, ["11010", "2"]);
    let reasons: Vec<Option<Untestable>> = rows.line.examples.iter().map(|e| e.untestable).collect();
    assert_eq!(reasons, [None, None, Some(Untestable::UrlMatchesNoRequestLine)]);

    let examples = examples_file(&pages);
    let squeezed: String = examples.split_whitespace().collect();
    assert!(squeezed.contains("assert_graph_error(request,404u16,"), "{examples}");
    assert!(examples.contains("their URL matches no request line of their page: other_resource"), "{examples}");
}

const ATTACHMENT: &str = r#"---
title: "attachment resource type"
---
# attachment resource type
Namespace: microsoft.graph

## Properties
|Property|Type|Description|
|:---|:---|:---|
|id|String|Identifier.|
"#;

const FILE_ATTACHMENT: &str = r#"---
title: "fileAttachment resource type"
---
# fileAttachment resource type
Namespace: microsoft.graph

A file attached to a message. **fileAttachment** derives from [attachment](attachment.md).

## Properties
|Property|Type|Description|
|:---|:---|:---|
|contentBytes|String|The file.|
"#;

const ITEM_ATTACHMENT: &str = r#"---
title: "itemAttachment resource type"
---
# itemAttachment resource type
Namespace: microsoft.graph

An [attachment](attachment.md) that holds a message or an event.

## Properties
|Property|Type|Description|
|:---|:---|:---|
|item|String|The attached item.|
"#;

/// The first example's annotation names `fileAttachment`; the second example shows an
/// `itemAttachment`; a third answers 202 with no body, and a fourth with a redirect.
const GET_ATTACHMENT: &str = r##"---
title: "Get attachment"
---
# Get attachment
Namespace: microsoft.graph

## HTTP request
``` http
GET /me/messages/{id}/attachments/{id}
```

## Response
If successful, this method returns a `200 OK` response code.

## Examples
### Request
<!-- { "blockType": "request", "name": "get_file" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/messages/m1/attachments/a1
```

### Response
<!-- { "blockType": "response", "@odata.type": "microsoft.graph.fileAttachment" } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json

{ "@odata.type": "#microsoft.graph.fileAttachment", "id": "a1", "contentBytes": "AA==" }
```

### Request
<!-- { "blockType": "request", "name": "get_item" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/messages/m1/attachments/a2
```

### Response
<!-- { "blockType": "response", "@odata.type": "microsoft.graph.itemAttachment" } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json

{ "@odata.type": "#microsoft.graph.itemAttachment", "id": "a2", "item": "message" }
```

### Request
<!-- { "blockType": "request", "name": "get_raw" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/messages/m1/attachments/a3
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 302 Found
Location: https://files.example/a3
```

### Request
<!-- { "blockType": "request", "name": "get_nothing" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/messages/m1/attachments/a4
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 200 OK
Content-type: application/json
```
"##;

#[test]
fn a_response_is_widened_to_the_base_its_examples_share_and_bodiless_examples_say_why() {
    let pages = [
        ("api/attachment-get.md", GET_ATTACHMENT),
        ("resources/attachment.md", ATTACHMENT),
        ("resources/fileattachment.md", FILE_ATTACHMENT),
        ("resources/itemattachment.md", ITEM_ATTACHMENT),
    ];
    let model = docbind::build_model(&input(&pages));
    let bases: Vec<(&str, Option<&str>)> = model.types.iter().map(|t| (t.name.as_str(), t.base.as_deref())).collect();
    assert!(bases.contains(&("microsoft.graph.itemAttachment", Some("microsoft.graph.attachment"))), "{bases:?}");
    let get = request_line(&model, "/me/messages/{id}/attachments/{id}");
    let typed = get.line.response.type_ref.as_ref().map(|t| format!("{:?}", t.target));
    assert_eq!(typed.as_deref(), Some(r#"Named("microsoft.graph.attachment")"#));
    let reasons: Vec<Option<Untestable>> = get.line.examples.iter().map(|e| e.untestable).collect();
    assert_eq!(reasons, [None, None, Some(Untestable::ResponseNotJson), Some(Untestable::ResponseBodyMissing)]);
    // The page types the response as JSON and the example answers with a redirect: the page's
    // problem. (Where the page's function hands out bytes, a redirect is a test: raw_content_examples.)
    assert!(Untestable::ResponseNotJson.is_doc_problem());

    let paths = &docbind::generate(&input(&pages)).1["paths.rs"];
    assert!(paths.contains("::docbind_runtime::Request<crate::graph::AnyAttachment>"), "{paths}");
}

/// A function that hands out bytes (`…/content`, `…/$value`) is tested with its documented content,
/// served as is, and with a documented redirect, followed to a download on the local server.
#[test]
fn raw_content_examples_are_tests_of_the_bytes() {
    let page = r##"---
title: "Get content"
---
# Get content
Namespace: microsoft.graph

## HTTP request
``` http
GET /me/messages/{id}/$value
GET /me/drive/items/{item-id}/content
```

## Response
If successful, this method returns a `200 OK` response code and the content.

## Examples
### Request
<!-- { "blockType": "request", "name": "get_mime" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/messages/m1/$value
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 200 OK
Content-type: text/plain

Subject: hello
```

### Request
<!-- { "blockType": "request", "name": "download" } -->
``` http
GET https://graph.microsoft.com/v1.0/me/drive/items/i1/content
```

### Response
<!-- { "blockType": "response" } -->
``` http
HTTP/1.1 302 Found
Location: https://files.example/download/i1?token=x
```
"##;
    let pages = [("api/get-content.md", page)];
    let model = docbind::build_model(&input(&pages));
    let reasons: Vec<Option<Untestable>> =
        model.calls().flat_map(|(_, c)| c.line.examples.iter().map(|e| e.untestable)).collect();
    assert_eq!(reasons, [None, None]);
    let examples = &docbind::generate_with(&input(&pages), true).1["examples.rs"];
    let squeezed: String = examples.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(
        squeezed.contains(r#"round_trip_content(request,200u16,"text/plain","Subject:hello",).await;"#),
        "{examples}"
    );
    assert!(squeezed.contains(r#"assert_eq!(content,"Subject:hello".as_bytes()"#), "{examples}");
    assert!(
        squeezed.contains(r#"round_trip_redirect(request,302u16,"https://files.example/download/i1?token=x",)"#),
        "{examples}"
    );
}
