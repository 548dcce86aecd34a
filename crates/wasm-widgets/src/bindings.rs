//! The JavaScript boundary: JSON strings in, JSON strings out, one line per function,
//! one error converter ([`js_error`]). A panic is recorded by the hook installed in
//! [`start`] and read back by the page's script with [`take_panic`], which shows it in
//! the widget instead of failing silently.

use crate::error::WidgetError;
use crate::session::Session;
use crate::{explore, prioritise, whatif};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::sync::Mutex;
use wasm_bindgen::prelude::*;

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// The one place a Rust error becomes a JavaScript one.
fn js_error(e: WidgetError) -> JsError {
    JsError::new(&e.to_string())
}

fn request<T: DeserializeOwned>(json: &str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|e| js_error(WidgetError::Request(e.to_string())))
}

fn reply<T: Serialize>(value: &T) -> Result<String, JsError> {
    serde_json::to_string(value).map_err(|e| js_error(WidgetError::Request(e.to_string())))
}

/// Records the message of a panic for [`take_panic`].
pub fn record_panic(message: String) {
    if let Ok(mut slot) = LAST_PANIC.lock() {
        *slot = Some(message);
    }
}

/// Installs the panic hook (runs when the module is instantiated).
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| record_panic(info.to_string())));
}

/// The message of the last panic, once.
#[wasm_bindgen]
pub fn take_panic() -> Option<String> {
    LAST_PANIC.lock().ok().and_then(|mut slot| slot.take())
}

/// Panics on purpose: the browser tests check that a panic is reported in the widget.
#[wasm_bindgen]
pub fn panic_for_test() {
    panic!("deliberate panic (panic_for_test)");
}

/// A loaded portfolio shared by the widgets of a page.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Widgets(Session);

#[wasm_bindgen]
impl Widgets {
    /// Parses the text of `data/portfolio.json`.
    #[wasm_bindgen(constructor)]
    pub fn new(portfolio_json: &str) -> Result<Widgets, JsError> {
        Session::from_json(portfolio_json)
            .map(Widgets)
            .map_err(js_error)
    }

    /// Initiatives (id, title), for the standalone what-if page's picker.
    pub fn initiatives(&self) -> Result<String, JsError> {
        reply(
            &self
                .0
                .portfolio
                .initiatives
                .iter()
                .map(|i| (&i.id, &i.title))
                .collect::<Vec<_>>(),
        )
    }

    /// The initiative the standalone what-if opens on ([`whatif::default_initiative`]).
    pub fn whatif_default(&self) -> Result<String, JsError> {
        reply(&whatif::default_initiative(&self.0))
    }

    /// The baseline of an initiative: a [`whatif::Baseline`].
    pub fn whatif_baseline(&self, id: &str) -> Result<String, JsError> {
        reply(&whatif::baseline(&self.0, id).map_err(js_error)?)
    }

    /// A [`whatif::WhatIfForm`] in, a [`whatif::ScenarioView`] out.
    pub fn whatif(&self, form_json: &str) -> Result<String, JsError> {
        reply(&whatif::scenario(&self.0, &request(form_json)?).map_err(js_error)?)
    }

    /// The baseline [`prioritise::PrioritiseForm`] of a model (blank: the first).
    pub fn prioritise_default(&self, model: &str) -> Result<String, JsError> {
        reply(&prioritise::default_form(&self.0, model))
    }

    /// The [`prioritise::PrioritiseForm`] a URL fragment describes.
    pub fn prioritise_from_hash(&self, hash: &str) -> Result<String, JsError> {
        reply(&prioritise::from_hash(&self.0, hash))
    }

    /// A [`prioritise::PrioritiseForm`] in, a [`prioritise::PrioritiseView`] out.
    pub fn prioritise(&self, form_json: &str) -> Result<String, JsError> {
        reply(&prioritise::evaluate(&self.0, &request(form_json)?).map_err(js_error)?)
    }

    /// A [`prioritise::PrioritiseForm`] in, the re-ranking alone out (`[[id, score], ...]`
    /// in rank order): what the in-browser benchmark times as "re-rank".
    pub fn prioritise_rank(&self, form_json: &str) -> Result<String, JsError> {
        reply(&prioritise::rank(&self.0, &request(form_json)?).map_err(js_error)?)
    }

    /// The explorer's [`explore::ExploreOptions`].
    pub fn explore_options(&self) -> Result<String, JsError> {
        reply(&explore::options(&self.0))
    }

    /// An [`explore::ExploreQuery`] in, an [`explore::ExploreView`] out.
    pub fn explore(&self, query_json: &str) -> Result<String, JsError> {
        reply(&explore::explore(&self.0, &request(query_json)?))
    }
}
