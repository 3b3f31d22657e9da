//! Relationships (navigation properties) as Graph sends them: only when a request expands them.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A relationship of a resource (a navigation property: a user's `manager`, a group's `members`),
/// which Graph includes in a response only when the request expands it
/// (`users().id(u).get().expand(&["manager"])`). The JSON is kept as it came and read into `T` when
/// asked, so that a program reading users does not carry the code that reads every type their
/// relationships reach, and nothing the response holds is lost.
///
/// ```
/// # use docbind_runtime::Related;
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// struct Manager {
///     #[serde(rename = "displayName")]
///     display_name: String,
/// }
/// let manager: Related<Manager> = serde_json::from_str(r#"{"displayName":"Adele"}"#).unwrap();
/// assert_eq!(manager.decode().unwrap(), Manager { display_name: "Adele".into() });
/// assert_eq!(manager.json()["displayName"], "Adele");
/// ```
pub struct Related<T> {
    json: serde_json::Value,
    // `fn() -> T`: a `Related<T>` owns no `T`, so it is `Send`, `Sync` and dropped without `T`.
    of: PhantomData<fn() -> T>,
}

impl<T> Related<T> {
    /// The relationship as JSON, as the response had it.
    pub fn json(&self) -> &serde_json::Value {
        &self.json
    }

    /// The relationship's JSON, taken.
    pub fn into_json(self) -> serde_json::Value {
        self.json
    }

    /// A relationship from its JSON: for a request body that sends one (a deep insert).
    pub fn from_json(json: serde_json::Value) -> Self {
        Related { json, of: PhantomData }
    }

    /// Reads the JSON as a `T`.
    pub fn decode(&self) -> Result<T, serde_json::Error>
    where
        T: DeserializeOwned,
    {
        T::deserialize(&self.json)
    }

    /// A relationship holding `value`, written as JSON.
    pub fn new(value: &T) -> Result<Self, serde_json::Error>
    where
        T: Serialize,
    {
        Ok(Self::from_json(serde_json::to_value(value)?))
    }
}

// By hand rather than derived: a derive would ask the same of `T`, and with it bring in `T`'s code.
impl<T> Clone for Related<T> {
    fn clone(&self) -> Self {
        Self::from_json(self.json.clone())
    }
}

impl<T> PartialEq for Related<T> {
    fn eq(&self, other: &Self) -> bool {
        self.json == other.json
    }
}

impl<T> fmt::Debug for Related<T> {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.debug_tuple("Related").field(&self.json).finish()
    }
}

impl<T> Serialize for Related<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.json.serialize(serializer)
    }
}

impl<'de, T> Deserialize<'de> for Related<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(deserializer).map(Self::from_json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kept_as_sent_and_read_on_demand() {
        let sent = r#"{"id":"1","displayName":"Adele","extra":[1,2]}"#;
        let related: Related<std::collections::BTreeMap<String, serde_json::Value>> =
            serde_json::from_str(sent).unwrap();
        let written: serde_json::Value = serde_json::to_value(&related).unwrap();
        assert_eq!(written, serde_json::from_str::<serde_json::Value>(sent).unwrap(), "written back as it came");
        assert_eq!(related.decode().unwrap()["displayName"], "Adele");
        let wrong: Related<Vec<String>> = serde_json::from_str(sent).unwrap();
        assert!(wrong.decode().is_err(), "a shape that does not fit is an error when read, not when received");
        assert_eq!(related.clone(), related);
        assert!(format!("{related:?}").contains("Adele"));
    }

    #[test]
    fn a_value_becomes_its_json() {
        let related = Related::new(&vec!["a".to_string()]).unwrap();
        assert_eq!(related.json(), &serde_json::json!(["a"]));
        assert_eq!(related.into_json(), serde_json::json!(["a"]));
    }
}
