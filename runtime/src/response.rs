//! Response types that are not models: a page of a collection, and raw content.

use std::fmt;
use std::marker::PhantomData;

/// A `Collection(T)` response: one page of items and the link to the next page, if any.
#[derive(Debug, Clone, PartialEq)]
pub struct Collection<T> {
    pub value: Vec<T>,
    /// `@odata.nextLink`
    pub next_link: Option<String>,
    /// `@odata.deltaLink`
    pub delta_link: Option<String>,
}

impl<T: serde::Serialize> serde::Serialize for Collection<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("value", &self.value)?;
        if let Some(link) = &self.next_link {
            map.serialize_entry("@odata.nextLink", link)?;
        }
        if let Some(link) = &self.delta_link {
            map.serialize_entry("@odata.deltaLink", link)?;
        }
        map.end()
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Collection<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct CollectionVisitor<T>(PhantomData<fn() -> T>);
        impl<'de, T: serde::Deserialize<'de>> serde::de::Visitor<'de> for CollectionVisitor<T> {
            type Value = Collection<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a collection object with a `value` array")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let (mut value, mut next_link, mut delta_link) = (None, None, None);
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(map.next_value()?),
                        "@odata.nextLink" => next_link = map.next_value()?,
                        "@odata.deltaLink" => delta_link = map.next_value()?,
                        // `@odata.context`, `@odata.count` and the like.
                        _ => {
                            map.next_value::<serde::de::IgnoredAny>()?;
                        }
                    }
                }
                let value = value.ok_or_else(|| serde::de::Error::missing_field("value"))?;
                Ok(Collection { value, next_link, delta_link })
            }
        }
        deserializer.deserialize_map(CollectionVisitor(PhantomData))
    }
}

/// The raw content of a response (a file, a photo, `…/$value`), as the service sent it. It is not
/// JSON, so it has no serde form: a request answers it only through
/// [`ResourcePath::request_content`](crate::ResourcePath::request_content) or [`Request::content`](crate::Request::content).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);
