//! The path tree: every documented request line as a walk of steps from the service root, the way
//! the URL reads (`/me/mailFolders/{id}/messages` is `me().mail_folders().id(..).messages()`).
//!
//! Takes the resolved model's request lines; gives the tree (one node per distinct path prefix,
//! each with its steps onward and the requests that end there) and, for every request line, the
//! route that reaches it. Names come from the path alone: a step is named after its segment, a request after its HTTP
//! method. Part of the naming pass ([`crate::naming`]), which is the only caller.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::ir::{BodySpec, Call, CallId, Method, Model, PathPiece, RequestLine};
use crate::names;

/// A piece of the text a step appends to the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepPart {
    Literal(String),
    /// One value of the caller's, percent-encoded (index into the step's parameters).
    Value(usize),
    /// A relative path of the caller's (`root:/{item-path}:`), `/` kept.
    SubPath(usize),
}

/// What kind of segment a step stands for; it decides how the step is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StepKind {
    /// A literal segment: `/messages`, `/$value`, `/microsoft.graph.delta()`.
    Segment,
    /// A key: `/{message-id}`, `/{id | userPrincipalName}`.
    Key,
    /// A function or key with values in parentheses: `/range(address='{address}')`.
    Call,
    /// Path addressing: `:/{item-path}:`.
    ColonPath,
    /// A type cast: `/microsoft.graph.user`.
    Cast,
}

/// A step from one node to the next.
#[derive(Debug, Clone)]
pub struct Edge {
    /// The method name (`mail_folders`, `id`, `path`, `as_user`).
    pub name: String,
    pub target: usize,
    pub parts: Vec<StepPart>,
    /// Parameter names of the step's values, as Rust identifiers.
    pub params: Vec<String>,
    /// The step is one of Graph's aliases for another way to its node (`me()` for
    /// `users().id(..)`, a drive's `root()` for `items().id(..)`, an item's `path(..)`).
    pub alias: bool,
}

/// A request that ends at a node: one HTTP method (and required query values) at one path, as one or
/// more pages document it.
#[derive(Debug, Clone)]
pub struct RequestMethod {
    /// `get`, `list`, `create`, `update`, `delete`, `put`, `post`, `list_with_start_date_time`,
    /// or an action's name (`send_mail`) when the action's segment is folded into its parent.
    pub name: String,
    pub method: Method,
    /// The request lines documenting it; the first one's types are the method's.
    pub calls: Vec<CallId>,
    /// Text the method itself appends before sending (an action's `/sendMail`), or nothing.
    pub parts: Vec<StepPart>,
    /// The body the method takes: the first page's, widened by the naming pass to the nearest base
    /// of all pages' body types when they differ (`deviceConfiguration` for the Intune pages that
    /// each document `POST /deviceManagement/deviceConfigurations` with their own derived type).
    pub body: Option<BodySpec>,
    /// The success body's type, widened in the same way; none when the first page says there is none.
    pub response: Option<crate::ir::TypeRef>,
    /// The request line's own query pairs ([`method_query`]), which the method sends.
    pub query: Vec<(String, String)>,
    /// The names of the values those pairs ask for, in order (`start_datetime` for
    /// `?startDateTime={start_datetime}`, as the placeholder names them).
    pub query_params: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The Rust struct of this step (`MeMailFoldersItemMessages`); empty for the root and for an
    /// action folded into its parent (`/me/sendMail`), which have none.
    pub struct_name: String,
    /// The documented path this node stands for, placeholders kept (`/me/mailFolders/{id}`).
    pub template: String,
    pub edges: Vec<Edge>,
    pub methods: Vec<RequestMethod>,
}

/// One step of a route: the node it starts from, the edge taken, and what the caller passes.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteStep {
    pub node: usize,
    pub edge: usize,
    pub args: Vec<StepArg>,
}

/// A value a step takes, in terms of the request line's path parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum StepArg {
    /// The value of one path parameter.
    Param(usize),
    /// A relative path put together from literal folders and parameters (`Documents/{file}`).
    Joined(Vec<Result<usize, String>>),
}

impl StepArg {
    /// The text a caller passes for this value, given each path parameter's value.
    pub fn fill(&self, param: &dyn Fn(usize) -> String) -> String {
        match self {
            StepArg::Param(i) => param(*i),
            StepArg::Joined(pieces) => pieces
                .iter()
                .map(|piece| match piece {
                    Ok(i) => param(*i),
                    Err(text) => text.clone(),
                })
                .collect(),
        }
    }
}

/// How a request line is reached: the steps from the root and the method at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub steps: Vec<RouteStep>,
    /// The node whose method it is, and the method's index there.
    pub node: usize,
    pub method: usize,
}

#[derive(Debug, Clone, Default)]
pub struct PathTree {
    pub nodes: Vec<Node>,
    /// One per request line of the model.
    pub routes: BTreeMap<CallId, Route>,
    /// Names that a sibling had taken, so that a fallback was given.
    pub renamed: Vec<Renamed>,
}

/// A step, request or struct whose best name was taken (reported as DB012 at the request line).
#[derive(Debug, Clone)]
pub struct Renamed {
    /// A request line that has the step or request: where the diagnostic points.
    pub call: CallId,
    /// The path of the node it is on or leads to.
    pub template: String,
    pub wanted: String,
    pub given: String,
}

impl RequestMethod {
    fn new(name: String, method: Method, ops: &[usize], parts: Vec<StepPart>, calls: &[(CallId, Call)]) -> Self {
        let first = calls[ops[0]].1;
        let (body, response) = (first.operation.body.clone(), first.line.response.body_type().cloned());
        let mut scope = names::Scope::default();
        scope.claim("body".to_string());
        let query = method_query(first.line);
        let mut query_params = Vec::new();
        for (_, value) in &query {
            for piece in crate::template::template_pieces(value) {
                if let crate::template::TemplatePiece::Placeholder(placeholder) = piece {
                    let name = names::field_name(placeholder.trim());
                    query_params.push(claim_param(&mut scope, name));
                }
            }
        }
        let calls = ops.iter().map(|&i| calls[i].0).collect();
        RequestMethod { name, method, calls, parts, body, response, query, query_params }
    }
}

/// A segment of a request line, split at `/` outside parentheses.
#[derive(Debug, Clone, PartialEq)]
struct Token {
    kind: StepKind,
    /// Lowercased shape with `{}` for values: the identity of the step among its siblings.
    shape: String,
    parts: Vec<StepPart>,
    /// What the request line passes for each value in `parts`.
    args: Vec<StepArg>,
    /// The segment as documented, placeholders kept.
    written: String,
    /// The segment text before any parenthesis, for names (`mailFolders`, `range`, `microsoft.graph.user`).
    word: String,
}

/// The OData options a request line may write into its query. Request values have typed setters for
/// them, so they do not make a method of their own.
fn is_option_key(key: &str) -> bool {
    let key = key.trim_start_matches('$').to_ascii_lowercase();
    matches!(
        key.as_str(),
        "select"
            | "expand"
            | "filter"
            | "orderby"
            | "top"
            | "skip"
            | "count"
            | "search"
            | "format"
            | "skiptoken"
            | "deltatoken"
    )
}

/// The query pairs of a request line that belong to its method rather than to OData's options:
/// fixed pairs and pairs the caller gives values for (`startDateTime={start_datetime}`).
pub fn method_query(line: &RequestLine) -> Vec<(String, String)> {
    let pairs = line.path_template.query_pairs();
    pairs.into_iter().filter(|(key, _)| !key.is_empty() && !key.starts_with('$') && !is_option_key(key)).collect()
}

/// A piece of a request line's path: literal text, or a path parameter (index into the line's
/// `path_parameters`).
#[derive(Debug, Clone, Copy)]
enum Piece<'a> {
    Text(&'a str),
    Param(usize),
}

/// The path of a request line as tokens; `...` (nested to any depth) is `None`.
fn tokens(line: &RequestLine) -> Vec<Option<Token>> {
    // 1. Split at each `/` outside parentheses (`range(address='A1/B2')` is one segment), as slices
    // of the template's text: a char at a time, this was most of the path tree's work.
    let mut segments: Vec<Vec<Piece>> = Vec::new();
    let mut segment = Vec::new();
    let mut depth = 0i32;
    for piece in &line.path_template.segments {
        let text = match piece {
            PathPiece::Literal(text) => text.as_str(),
            PathPiece::Parameter(i) => {
                segment.push(Piece::Param(*i));
                continue;
            }
        };
        let mut from = 0;
        for (at, byte) in text.bytes().enumerate() {
            match byte {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b'/' if depth <= 0 => {
                    push_text(&mut segment, &text[from..at]);
                    segments.push(std::mem::take(&mut segment));
                    from = at + 1;
                }
                _ => {}
            }
        }
        push_text(&mut segment, &text[from..]);
    }
    segments.push(segment);
    // 2. Each segment is a token, except inside `:/…:` path addressing, whose segments make one.
    let mut out = Vec::new();
    let mut colon: Option<Vec<Piece>> = None;
    for mut segment in segments {
        if segment.is_empty() {
            continue;
        }
        let closes = match segment.last_mut() {
            Some(Piece::Text(text)) if text.ends_with(':') => {
                *text = &text[..text.len() - 1];
                if text.is_empty() {
                    segment.pop();
                }
                true
            }
            _ => false,
        };
        if let Some(open) = colon.as_mut() {
            if !open.is_empty() {
                open.push(Piece::Text("/"));
            }
            open.extend(segment);
            if closes {
                out.push(Some(colon_token(&colon.take().unwrap_or_default(), line)));
            }
            continue;
        }
        if !segment.is_empty() {
            out.push(if is_ellipsis(&segment) { None } else { Some(segment_token(&segment, line)) });
        }
        if closes {
            colon = Some(Vec::new());
        }
    }
    if let Some(open) = colon.filter(|open| !open.is_empty()) {
        // `root:/{item-path}` at the end of a line means the same as with the closing `:`.
        out.push(Some(colon_token(&open, line)));
    }
    out
}

/// Adds literal text to a segment; empty text adds nothing, so that a segment is empty only when
/// nothing was written between its slashes.
fn push_text<'a>(segment: &mut Vec<Piece<'a>>, text: &'a str) {
    if !text.is_empty() {
        segment.push(Piece::Text(text));
    }
}

/// A segment that is `...` (the docs' "and so on"), however its text was split.
fn is_ellipsis(segment: &[Piece]) -> bool {
    let mut dots = 0;
    for piece in segment {
        match piece {
            Piece::Text(text) if text.bytes().all(|b| b == b'.') => dots += text.len(),
            _ => return false,
        }
    }
    dots == 3
}

/// `:/{item-path}:`: the relative path is one value of the caller's, whatever folders the line
/// writes into it (`root:/Documents/{file}:` takes `Documents/report.docx`).
fn colon_token(pieces: &[Piece], line: &RequestLine) -> Token {
    let mut joined: Vec<Result<usize, String>> = Vec::new();
    let mut written = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                written.push_str(text);
                match joined.last_mut() {
                    Some(Err(before)) => before.push_str(text),
                    _ => joined.push(Err(text.to_string())),
                }
            }
            Piece::Param(i) => {
                written.push_str(&line.path_parameters[*i].placeholder);
                joined.push(Ok(*i));
            }
        }
    }
    colon_path_token(joined, &written)
}

/// The token of `:/…:` path addressing, once its pieces are joined (`written` as documented).
fn colon_path_token(joined: Vec<Result<usize, String>>, written: &str) -> Token {
    Token {
        kind: StepKind::ColonPath,
        shape: ":/{}:".to_string(),
        parts: vec![StepPart::Literal(":/".into()), StepPart::SubPath(0), StepPart::Literal(":".into())],
        args: vec![StepArg::Joined(joined)],
        written: format!(":/{written}:"),
        word: "path".to_string(),
    }
}

fn segment_token(pieces: &[Piece], line: &RequestLine) -> Token {
    let size = pieces.iter().map(|piece| if let Piece::Text(text) = piece { text.len() } else { 2 }).sum::<usize>() + 1;
    let mut shape = String::with_capacity(size);
    shape.push('/');
    let mut parts = vec![];
    let mut literal = String::with_capacity(size);
    literal.push('/');
    let mut args = Vec::new();
    let mut written = String::with_capacity(size);
    let mut word = String::with_capacity(size);
    let mut in_parens = false;
    for piece in pieces {
        match piece {
            Piece::Text(text) => {
                // A space is never part of a URL: `(deltaRows={n}, deltaColumns={n})` is sent without it.
                for run in text.split(' ').filter(|run| !run.is_empty()) {
                    if !in_parens {
                        let before = run.find('(').unwrap_or(run.len());
                        word.push_str(&run[..before]);
                        in_parens = before < run.len();
                    }
                    let lowered = shape.len();
                    shape.push_str(run);
                    shape[lowered..].make_ascii_lowercase();
                    written.push_str(run);
                    literal.push_str(run);
                }
            }
            Piece::Param(index) => {
                shape.push_str("{}");
                written.push_str(&line.path_parameters[*index].placeholder);
                if !literal.is_empty() {
                    parts.push(StepPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(StepPart::Value(args.len()));
                args.push(StepArg::Param(*index));
            }
        }
    }
    if !literal.is_empty() {
        parts.push(StepPart::Literal(literal));
    }
    let kind = step_kind(&word, &written, !args.is_empty());
    Token { kind, shape, parts, args, written, word }
}

/// What a segment is, from its name part (`word`), its text as documented and whether it takes values.
fn step_kind(word: &str, written: &str, takes_values: bool) -> StepKind {
    if word.is_empty() && takes_values {
        StepKind::Key
    } else if written.contains('(') || takes_values {
        StepKind::Call
    } else if word.to_ascii_lowercase().starts_with("microsoft.graph.") {
        StepKind::Cast
    } else {
        StepKind::Segment
    }
}

/// Which walk of [`PathTree::build`] a request line takes part in: 0 for most, 1 for lines from
/// `/me`, 2 from `/drive`, 3 through a drive's `root`. An alias needs its node made first.
fn alias_pass(tokens: &[Option<Token>]) -> u8 {
    let shapes: Vec<&str> = tokens.iter().flatten().map(|t| t.shape.as_str()).collect();
    if (0..shapes.len()).any(|i| shapes[i] == "/root" && is_drive(&shapes[..i])) {
        3
    } else if shapes.first() == Some(&"/drive") {
        2
    } else if shapes.first() == Some(&"/me") {
        1
    } else {
        0
    }
}

/// Whether a walk whose steps have these shapes is at a drive: `/drive` or `/drives/{id}`.
fn is_drive(shapes: &[&str]) -> bool {
    matches!(shapes, [.., "/drive"] | [.., "/drives", "/{}"])
}

/// The node a step of Graph's aliases leads to, when the tree has it: `/me` (at the root) to
/// `/users/{id}`, `/drive` (at the root: the signed-in user's) to `/users/{id}/drive`; a drive's `/root` to its `/items/{id}`; `:/{path}:` at an item to that item (an
/// item by its path is an item). `None`: the step is not an alias, or its node is not there yet.
fn alias_target(
    edges: &[Vec<Building>],
    steps: &[(usize, usize, Vec<StepArg>)],
    node: usize,
    token: &Token,
) -> Option<usize> {
    let step_to = |from: usize, shape: &str| edges[from].iter().find(|b| b.token.shape == shape).map(|b| b.target);
    let shapes: Vec<&str> = steps.iter().map(|(n, e, _)| edges[*n][*e].token.shape.as_str()).collect();
    match token.shape.as_str() {
        "/me" if node == 0 => step_to(step_to(0, "/users")?, "/{}"),
        "/drive" if node == 0 => step_to(step_to(step_to(0, "/users")?, "/{}")?, "/drive"),
        "/root" if is_drive(&shapes) => step_to(step_to(node, "/items")?, "/{}"),
        ":/{}:" => {
            let (last_node, last_edge, _) = steps.last()?;
            let root_alias = edges[*last_node][*last_edge].alias && shapes.last() == Some(&"/root");
            let by_key = shapes.len() >= 2
                && shapes[shapes.len() - 2..] == ["/items", "/{}"]
                && is_drive(&shapes[..shapes.len() - 2]);
            (root_alias || by_key).then_some(node)
        }
        _ => None,
    }
}

/// The simple name after a namespace (`microsoft.graph.sendMail` → `sendMail`).
fn simple(word: &str) -> &str {
    word.rsplit('.').next().unwrap_or(word)
}

/// The name a step wants first: the rest (see [`step_names`]) are made only when a sibling took it.
fn best_step_name(token: &Token, cast_types: &BTreeSet<String>) -> String {
    let snake = |text: &str| names::field_name(text.trim_start_matches('$'));
    match token.kind {
        StepKind::Key => "id".to_string(),
        StepKind::ColonPath => "path".to_string(),
        StepKind::Cast if cast_types.contains(&simple(&token.word).to_ascii_lowercase()) => {
            format!("as_{}", snake(simple(&token.word)))
        }
        StepKind::Cast | StepKind::Segment | StepKind::Call => snake(simple(&token.word)),
    }
}

/// Names wanted for a step whose `best` name (its [`best_step_name`]) a sibling took, best first:
/// each is tried in turn.
fn step_names(token: &Token, best: String, params: &[String]) -> Vec<String> {
    let full = names::field_name(token.word.trim_start_matches('$'));
    let literal_words = names::field_name(&token.written.replace(['{', '}'], " "));
    let mut wanted = match token.kind {
        StepKind::Key => vec![best, format!("id_{literal_words}")],
        StepKind::ColonPath => vec![best, "colon_path".to_string()],
        StepKind::Cast | StepKind::Segment => vec![best, full],
        StepKind::Call => {
            let by = if params.is_empty() { literal_words.clone() } else { params.join("_") };
            let (by_best, by_full) = (joined(&best, &format!("by_{by}")), joined(&full, &format!("by_{by}")));
            vec![best, by_best, by_full]
        }
    };
    wanted.push(joined(&wanted[0], &literal_words));
    wanted.dedup();
    wanted
}

/// `ref_` and `by_id` → `ref_by_id`: a keyword's escape is not kept inside a longer name.
fn joined(first: &str, second: &str) -> String {
    names::field_name(&format!("{} {second}", first.trim_end_matches('_')))
}

/// A request method's name from its HTTP method and what it acts on.
fn request_name(call: Call, on_collection: bool) -> &'static str {
    match call.line.method {
        Method::Get if call.line.response.body_type().is_some_and(|t| t.collection) && !call.raw_response() => "list",
        Method::Get => "get",
        Method::Post if on_collection && matches!(call.operation.body, Some(BodySpec::Type { .. })) => "create",
        Method::Post => "post",
        Method::Patch => "update",
        Method::Put => "put",
        Method::Delete => "delete",
    }
}

/// Among pages documenting one request, the one whose types the method takes: plain request lines
/// before those with OData options, directory requests from their own pages rather than Intune's
/// repetitions of them (`GET /users` on `intune-*-user-list.md`), pages about what the line
/// addresses before guests, then pages with a known response type.
fn preference(line: &RequestLine) -> (bool, bool, bool, bool) {
    let file = line.source.file.rsplit('/').next().unwrap_or_default();
    let intune = file.starts_with("intune-");
    (has_option_query(line), intune, !is_about_its_path(line), line.response.type_ref.is_none())
}

/// Whether a page is about what its request line addresses: `contact-update.md` for
/// `PATCH /me/contacts/{id}`, not `singlevaluelegacyextendedproperty-post-….md`, which shows the same
/// line with an extended property.
fn is_about_its_path(line: &RequestLine) -> bool {
    let file = line.source.file.rsplit('/').next().unwrap_or_default();
    let file = file.strip_prefix("intune-").and_then(|rest| rest.split_once('-')).map_or(file, |(_, rest)| rest);
    let subject = file.split(['-', '.']).next().unwrap_or_default().to_ascii_lowercase();
    let literal = |segment: &&str| !segment.is_empty() && !segment.contains(['{', '(', ':', '$']);
    let last = line.path.split('/').rfind(literal).unwrap_or_default().to_ascii_lowercase();
    !subject.is_empty() && (last == subject || last.strip_suffix('s') == Some(subject.as_str()))
}

/// Whether a request line writes OData options into its query (`GET /users/{id}?$expand=extensions`):
/// such lines show one use of a request, often typed by what the page is about (the extension), not
/// by what the request returns.
pub fn has_option_query(line: &RequestLine) -> bool {
    line.path_template.query_pairs().iter().any(|(key, _)| key.starts_with('$') || is_option_key(key))
}

/// Where a request line ends while the tree is built: its end node, method and required query.
type RequestKey = (usize, Method, String);

/// One request line's way through the tree while it is built: (node, edge, args) per step, and
/// where it ends.
struct Walk {
    steps: Vec<(usize, usize, Vec<StepArg>)>,
    end: RequestKey,
}

struct Building {
    token: Token,
    target: usize,
    /// The request line that walked this step first; its placeholders name the step's parameters.
    first: usize,
    /// Each documented spelling of the segment and how many lines use it.
    spellings: BTreeMap<String, usize>,
    /// The step is an alias to a node another step made ([`alias_target`]).
    alias: bool,
}

impl PathTree {
    /// `cast_types`: the lowercased simple names of the model's types, so that
    /// `/members/microsoft.graph.user` is a cast (`as_user()`) and `/microsoft.graph.delta()` is not.
    pub fn build(model: &Model, cast_types: &BTreeSet<String>) -> PathTree {
        // Worked on by position in the model's order of request lines.
        let calls: Vec<(CallId, Call)> = model.calls().collect();
        // 1. Every request line walks the tree, adding the nodes it needs.
        let mut edges: Vec<Vec<Building>> = vec![Vec::new()];
        let mut templates: Vec<String> = vec![String::new()];
        // The request line that made each node (the root's is never asked for).
        let mut made_by: Vec<usize> = vec![0];
        let mut walks: Vec<Option<Walk>> = (0..calls.len()).map(|_| None).collect();
        // Graph's aliases: `/me` is `/users/{id}`, a drive's `root` is one of its `items/{id}`, and
        // an item's `:/{path}:` is an item too. Lines using them walk after the others, so that
        // the node an alias leads to has been made by a line that names its key.
        // Splitting the lines into tokens is most of this function's work, and each line's is its own.
        let mut lines: Vec<(usize, Vec<Option<Token>>)> = {
            use rayon::prelude::*;
            calls.par_iter().map(|(_, c)| tokens(c.line)).enumerate().collect()
        };
        lines.sort_by_cached_key(|(_, tokens)| alias_pass(tokens));
        for (index, line) in lines {
            let request_line = calls[index].1.line;
            let mut node = 0;
            let mut steps: Vec<(usize, usize, Vec<StepArg>)> = Vec::new();
            for token in line {
                let Some(token) = token else {
                    // `/…/`: the two steps before it repeat (`childFolders/{id}`). The node reached so
                    // far gets the first of them again, leading back to where it led the first time.
                    if let Some(&(grand, edge, _)) = steps.len().checked_sub(2).map(|i| &steps[i]) {
                        let repeat = &edges[grand][edge];
                        let (token, target, first) = (repeat.token.clone(), repeat.target, repeat.first);
                        if !edges[node].iter().any(|b| b.token.shape == token.shape) {
                            let spellings = BTreeMap::new();
                            edges[node].push(Building { token, target, first, spellings, alias: false });
                        }
                    }
                    continue;
                };
                let edge = match edges[node].iter().position(|b| b.token.shape == token.shape) {
                    Some(edge) => edge,
                    None => {
                        let alias = alias_target(&edges, &steps, node, &token);
                        let target = alias.unwrap_or_else(|| {
                            edges.push(Vec::new());
                            templates.push(format!("{}{}", templates[node], display(&token)));
                            made_by.push(index);
                            edges.len() - 1
                        });
                        let (token, spellings) = (token.clone(), BTreeMap::new());
                        edges[node].push(Building { token, target, first: index, spellings, alias: alias.is_some() });
                        edges[node].len() - 1
                    }
                };
                *edges[node][edge].spellings.entry(token.written.clone()).or_default() += 1;
                steps.push((node, edge, token.args));
                node = edges[node][edge].target;
            }
            let query: Vec<String> = method_query(request_line).into_iter().map(|(k, v)| format!("{k}={v}")).collect();
            let end = (node, request_line.method, query.join("&").to_ascii_lowercase());
            walks[index] = Some(Walk { steps, end });
        }
        let walks: Vec<Walk> = walks.into_iter().map(|walk| walk.expect("every request line walked")).collect();

        // 2. Request lines that end at one node with one method and query are one request method.
        let mut requests: BTreeMap<RequestKey, Vec<usize>> = BTreeMap::new();
        for (index, walk) in walks.iter().enumerate() {
            requests.entry(walk.end.clone()).or_default().push(index);
        }
        for ops in requests.values_mut() {
            ops.sort_by_cached_key(|&i| (preference(calls[i].1.line), i));
        }
        let mut parent_of: Vec<Option<(usize, usize)>> = vec![None; edges.len()];
        for (node, list) in edges.iter().enumerate() {
            for (edge, building) in list.iter().enumerate() {
                parent_of[building.target].get_or_insert((node, edge));
            }
        }
        let requests_at =
            |node: usize| requests.range((node, Method::Get, String::new())..).take_while(move |(k, _)| k.0 == node);

        // 3. A plain segment with nothing under it and only a POST is an action, called on its
        // parent: `me().send_mail(&body)`.
        let mut folded: BTreeSet<usize> = BTreeSet::new();
        for node in 1..edges.len() {
            let Some((parent, edge)) = parent_of[node] else { continue };
            let token = &edges[parent][edge].token;
            let at_node: Vec<_> = requests_at(node).collect();
            let [((_, Method::Post, query), ops)] = at_node.as_slice() else { continue };
            let creates = matches!(calls[ops[0]].1.operation.body, Some(BodySpec::Type { .. }));
            if token.kind == StepKind::Segment
                && !token.word.starts_with('$')
                && query.is_empty()
                && !creates
                && edges[node].is_empty()
            {
                folded.insert(node);
            }
        }

        // 4. Each node names its request methods first (the fixed words), then its steps.
        let mut nodes: Vec<Node> = templates.into_iter().map(|template| Node { template, ..Node::default() }).collect();
        let mut renamed = Vec::new();
        let mut method_index: FxHashMap<RequestKey, (usize, usize)> = FxHashMap::default();
        let mut edge_index: FxHashMap<(usize, usize), usize> = FxHashMap::default();
        for node in 0..edges.len() {
            let mut scope = names::Scope::default();
            let mut methods = Vec::new();
            let on_collection = parent_of[node].is_some_and(|(p, e)| {
                let token = &edges[p][e].token;
                token.kind == StepKind::Segment && !token.word.starts_with('$')
            });
            if !folded.contains(&node) {
                let mut own: Vec<_> = requests_at(node).collect();
                // The request without required query values takes the plain name.
                own.sort_by_key(|((_, method, query), _)| (*method, !query.is_empty(), query.clone()));
                for (key, ops) in own {
                    let first = calls[ops[0]].1;
                    let plain = request_name(first, on_collection).to_string();
                    let keys: Vec<String> = method_query(first.line).into_iter().map(|(k, _)| k).collect();
                    let with = names::field_name(&format!("{plain} with {}", keys.join(" ")));
                    let wanted = if key.2.is_empty() { vec![plain] } else { vec![plain, with] };
                    let name = claim(&mut scope, &wanted, (calls[ops[0]].0, &nodes[node].template), &mut renamed);
                    method_index.insert(key.clone(), (node, methods.len()));
                    methods.push(RequestMethod::new(name, key.1, ops, Vec::new(), &calls));
                }
            }
            let mut order: Vec<usize> = (0..edges[node].len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (&edges[node][a].token, &edges[node][b].token);
                (a.kind, &a.shape).cmp(&(b.kind, &b.shape))
            });
            let mut named = Vec::new();
            for original in order {
                let building = &edges[node][original];
                let written = building
                    .spellings
                    .iter()
                    .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                    .map_or_else(|| building.token.written.clone(), |(w, _)| w.clone());
                let token = respell(&building.token, &written);
                let params = step_params(&token, calls[building.first].1.line);
                let name = match scope.claim_free(best_step_name(&token, cast_types)) {
                    Ok(name) => name,
                    Err(best) => {
                        let wanted = step_names(&token, best, &params);
                        claim(&mut scope, &wanted, (calls[building.first].0, &nodes[node].template), &mut renamed)
                    }
                };
                let target = building.target;
                if folded.contains(&target) && parent_of[target] == Some((node, original)) {
                    let (key, ops) = requests_at(target).next().expect("a folded action has its request");
                    method_index.insert(key.clone(), (node, methods.len()));
                    methods.push(RequestMethod::new(name, key.1, ops, token.parts, &calls));
                    continue;
                }
                let alias = building.alias;
                named.push((original, Edge { name, target, parts: token.parts, params, alias }));
            }
            named.sort_by(|a, b| a.1.name.cmp(&b.1.name));
            for (at, (original, _)) in named.iter().enumerate() {
                edge_index.insert((node, *original), at);
            }
            nodes[node].edges = named.into_iter().map(|(_, edge)| edge).collect();
            nodes[node].methods = methods;
        }

        // 5. Each request line's route, in the final numbering.
        let routes = walks
            .into_iter()
            .zip(&calls)
            .map(|(Walk { steps, end: key }, (id, _))| {
                let (node, method) = method_index[&key];
                let mut steps: Vec<RouteStep> = steps
                    .into_iter()
                    .map(|(node, edge, args)| RouteStep {
                        node,
                        edge: edge_index.get(&(node, edge)).copied().unwrap_or(usize::MAX),
                        args,
                    })
                    .collect();
                if folded.contains(&key.0) {
                    // The last step is the action's own method.
                    steps.pop();
                }
                (*id, Route { steps, node, method })
            })
            .collect();

        // 6. Struct names: the step names from the root in Pascal case, `id` reading `Item`.
        let mut taken = BTreeSet::new();
        let mut seen = vec![false; nodes.len()];
        seen[0] = true;
        let mut queue = std::collections::VecDeque::from([0usize]);
        while let Some(node) = queue.pop_front() {
            let prefix = nodes[node].struct_name.clone();
            // A node is named by the way that names its key (`users().id(..)`: `UsersItem`), not
            // by an alias to it (`me()`).
            let next: Vec<(String, usize)> =
                nodes[node].edges.iter().filter(|e| !e.alias).map(|e| (e.name.clone(), e.target)).collect();
            for (name, target) in next {
                if std::mem::replace(&mut seen[target], true) {
                    continue;
                }
                let word = if name == "id" { "Item".to_string() } else { names::pascal_words(&name) };
                let mut wanted = format!("{prefix}{word}");
                if names::is_keyword(&wanted) {
                    // `/self`: `Self` is taken by the language.
                    wanted.push_str("Step");
                }
                let mut given = wanted.clone();
                if !taken.insert(given.clone()) {
                    given = format!("{prefix}Then{word}");
                    while !taken.insert(given.clone()) {
                        given.push_str("Step");
                    }
                    let template = nodes[target].template.clone();
                    renamed.push(Renamed { call: calls[made_by[target]].0, template, wanted, given: given.clone() });
                }
                nodes[target].struct_name = given;
                queue.push_back(target);
            }
        }
        PathTree { nodes, routes, renamed }
    }

    /// The path a request line's route builds, `{}` for each value and without the query: what the
    /// template tests compare with the request line.
    pub fn walk_text(&self, route: &Route) -> String {
        let mut text = String::new();
        let mut push = |parts: &[StepPart]| {
            for part in parts {
                match part {
                    StepPart::Literal(literal) => text.push_str(literal),
                    StepPart::Value(_) | StepPart::SubPath(_) => text.push_str("{}"),
                }
            }
        };
        for step in &route.steps {
            push(&self.nodes[step.node].edges[step.edge].parts);
        }
        push(&self.nodes[route.node].methods[route.method].parts);
        text
    }
}

/// The parameter names of a step's values, from the first request line that takes the step.
fn step_params(token: &Token, first: &RequestLine) -> Vec<String> {
    if token.kind == StepKind::ColonPath {
        return vec!["path".to_string()];
    }
    let mut scope = names::Scope::default();
    token
        .args
        .iter()
        .map(|arg| {
            let name = match arg {
                StepArg::Param(i) => first.path_parameters.get(*i).map(|p| names::field_name(&p.name)),
                StepArg::Joined(_) => None,
            };
            claim_param(&mut scope, name.unwrap_or_else(|| "value".to_string()))
        })
        .collect()
}

/// A parameter's name, unique among its function's: a second `{id}` is `id_again`, never `id_2`.
fn claim_param(scope: &mut names::Scope, name: String) -> String {
    let again = format!("{name}_again");
    scope.claim_first(&[name, again]).0
}

/// The token as another documented spelling of the same segment writes it (they differ in case).
fn respell(token: &Token, written: &str) -> Token {
    if token.kind == StepKind::ColonPath || written == token.written {
        return token.clone();
    }
    let mut respelled_parts = Vec::with_capacity(token.parts.len());
    // Literal text of the other spelling, in order, with its placeholders left out.
    let mut letters = other_literals(written).into_iter();
    for (i, part) in token.parts.iter().enumerate() {
        match part {
            StepPart::Literal(text) => {
                // The `/` a segment starts with is the step's, not the written segment's.
                let (lead, rest) = if i == 0 { text.split_at(text.len().min(1)) } else { ("", text.as_str()) };
                let mut out = lead.to_string();
                out.extend(rest.chars().map(|c| letters.next().filter(|l| l.eq_ignore_ascii_case(&c)).unwrap_or(c)));
                respelled_parts.push(StepPart::Literal(out));
            }
            other => respelled_parts.push(other.clone()),
        }
    }
    let word: String =
        token.word.chars().zip(written.chars()).map(|(a, b)| if a.eq_ignore_ascii_case(&b) { b } else { a }).collect();
    Token { parts: respelled_parts, word, written: written.to_string(), ..token.clone() }
}

/// The characters of a written segment outside its `{placeholders}`.
fn other_literals(written: &str) -> Vec<char> {
    let mut out = Vec::new();
    let mut depth = 0;
    for c in written.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// A segment as the node's template shows it.
fn display(token: &Token) -> String {
    match token.kind {
        StepKind::ColonPath => token.written.clone(),
        _ => format!("/{}", token.written),
    }
}

/// The first wanted name still free in the scope (see [`names::Scope::claim_first`]); each fallback
/// is recorded, and reported as DB012.
/// `at`: the request line that brings the name, and the path of the node it is on.
fn claim(scope: &mut names::Scope, wanted: &[String], at: (CallId, &str), renamed: &mut Vec<Renamed>) -> String {
    let (name, best) = scope.claim_first(wanted);
    if !best {
        let (call, template) = at;
        renamed.push(Renamed { call, template: template.to_string(), wanted: wanted[0].clone(), given: name.clone() });
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Source;
    use crate::ir::ResponseSpec;

    /// The tokens as first written, a char at a time: the reference the slice form is held to (the
    /// colon token and the step kind are made as the code makes them; the splitting and joining
    /// of the text is what is compared).
    fn tokens_by_chars(line: &RequestLine) -> Vec<Option<Token>> {
        enum P {
            C(char),
            Param(usize),
        }
        let mut pieces = Vec::new();
        for piece in &line.path_template.segments {
            match piece {
                PathPiece::Literal(text) => pieces.extend(text.chars().map(P::C)),
                PathPiece::Parameter(i) => pieces.push(P::Param(*i)),
            }
        }
        let mut segments: Vec<Vec<&P>> = vec![Vec::new()];
        let mut depth = 0i32;
        for piece in &pieces {
            match piece {
                P::C('(') => depth += 1,
                P::C(')') => depth -= 1,
                _ => {}
            }
            if matches!(piece, P::C('/')) && depth <= 0 {
                segments.push(Vec::new());
            } else if let Some(last) = segments.last_mut() {
                last.push(piece);
            }
        }
        let colon_token = |pieces: &[&P]| {
            let mut joined: Vec<Result<usize, String>> = Vec::new();
            let mut written = String::new();
            for piece in pieces {
                match piece {
                    P::C(c) => {
                        written.push(*c);
                        match joined.last_mut() {
                            Some(Err(text)) => text.push(*c),
                            _ => joined.push(Err(c.to_string())),
                        }
                    }
                    P::Param(i) => {
                        written.push_str(&line.path_parameters[*i].placeholder);
                        joined.push(Ok(*i));
                    }
                }
            }
            colon_path_token(joined, &written)
        };
        let segment_token = |pieces: &[&P]| {
            let (mut shape, mut parts, mut args) = ("/".to_string(), vec![StepPart::Literal("/".into())], Vec::new());
            let (mut written, mut word, mut in_parens) = (String::new(), String::new(), false);
            for piece in pieces {
                match piece {
                    P::C(' ') => {}
                    P::C(c) => {
                        in_parens |= *c == '(';
                        if !in_parens {
                            word.push(*c);
                        }
                        shape.push(c.to_ascii_lowercase());
                        written.push(*c);
                        match parts.last_mut() {
                            Some(StepPart::Literal(text)) => text.push(*c),
                            _ => parts.push(StepPart::Literal(c.to_string())),
                        }
                    }
                    P::Param(index) => {
                        shape.push_str("{}");
                        written.push_str(&line.path_parameters[*index].placeholder);
                        parts.push(StepPart::Value(args.len()));
                        args.push(StepArg::Param(*index));
                    }
                }
            }
            Token { kind: step_kind(&word, &written, !args.is_empty()), shape, parts, args, written, word }
        };
        let mut out = Vec::new();
        let mut colon: Option<Vec<&P>> = None;
        for segment in segments {
            if segment.is_empty() {
                continue;
            }
            let closes = matches!(segment.last(), Some(P::C(':')));
            let body = if closes { &segment[..segment.len() - 1] } else { &segment[..] };
            if let Some(open) = colon.as_mut() {
                if !open.is_empty() {
                    open.push(&P::C('/'));
                }
                open.extend(body.iter().copied());
                if closes {
                    out.push(Some(colon_token(&colon.take().unwrap_or_default())));
                }
                continue;
            }
            if !body.is_empty() {
                let dots = body.len() == 3 && body.iter().all(|p| matches!(p, P::C('.')));
                out.push(if dots { None } else { Some(segment_token(body)) });
            }
            if closes {
                colon = Some(Vec::new());
            }
        }
        if let Some(open) = colon.filter(|open| !open.is_empty()) {
            out.push(Some(colon_token(&open)));
        }
        out
    }

    #[test]
    fn tokens_match_the_char_form_on_random_paths() {
        let pieces = [
            "/",
            "/",
            "/",
            "(",
            ")",
            ":",
            ".",
            "...",
            " ",
            "{id}",
            "{item-path}",
            "users",
            "Mail",
            "é",
            "microsoft.graph.",
            "range(address='{address}')",
            "'",
            "=",
            ",",
            "$value",
            "root:",
        ];
        let mut rng = crate::emit::random::Lcg(5);
        let mut checked = 0;
        for _ in 0..30_000 {
            let path: String = (0..1 + rng.below(10)).map(|_| pieces[rng.below(pieces.len())]).collect();
            let (path_template, path_parameters) = crate::template::parse_path(&path);
            let response = ResponseSpec { status: None, type_ref: None, empty: false, source: Source::default() };
            let line = RequestLine {
                method: Method::Get,
                path: path_template.raw.clone(),
                path_template,
                path_parameters,
                response,
                examples: Vec::new(),
                source: Source::default(),
            };
            let expected = tokens_by_chars(&line);
            checked += expected.iter().flatten().count();
            assert_eq!(tokens(&line), expected, "{path:?}");
        }
        assert!(checked > 30_000, "only {checked} tokens compared");
    }
}
