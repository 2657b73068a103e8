use daytona_core::computer_use::ComputerUseClient;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::convert::{json_body, query};
use crate::promise::{call, try_call};

#[wasm_bindgen(typescript_custom_section)]
const ACCESSIBILITY_TS: &'static str = r#"
export interface AccessibilityBounds { x?: number; y?: number; width?: number; height?: number; }
export interface ComputerUseAccessibilityNode {
  id?: string; role?: string; name?: string; description?: string; states?: string[]; actions?: string[];
  bounds?: AccessibilityBounds; children?: ComputerUseAccessibilityNode[];
}
export interface AccessibilityTreeResponse { root?: ComputerUseAccessibilityNode; truncated?: boolean; }
export interface AccessibilityNodesResponse { matches?: ComputerUseAccessibilityNode[]; truncated?: boolean; }
/** Options for fetching the AT-SPI accessibility tree. */
export interface AccessibilityTreeOptions {
  /** Tree scope to inspect: 'focused' (the default), 'pid', or 'all'. */
  scope?: string;
  /** Process ID when scope is 'pid'. */
  pid?: number;
  /** Maximum depth to descend: 0 for the root only, -1 (the default) for all. */
  maxDepth?: number;
}
export interface FindAccessibilityNodesRequest {
  scope?: string; pid?: number; role?: string; name?: string;
  /** "exact" | "substring" (the default) | "regex" */
  nameMatch?: string;
  states?: string[]; limit?: number;
}
/** Options for finding AT-SPI accessibility nodes. */
export type AccessibilityFindOptions = FindAccessibilityNodesRequest;
"#;

/// The desktop's accessibility tree (`computerUse.accessibility`), as AT-SPI publishes it:
/// find the controls of running programs and focus, invoke or fill them by node id.
///
/// @example
/// const { matches } = await sandbox.computerUse.accessibility.findNodes({ scope: 'all', role: 'push button', name: 'OK' });
/// await sandbox.computerUse.accessibility.invokeNode(matches[0].id, 'click');
#[wasm_bindgen]
pub struct Accessibility {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for Accessibility {
    fn from(inner: ComputerUseClient) -> Self {
        Accessibility { inner }
    }
}

#[wasm_bindgen]
impl Accessibility {
    #[wasm_bindgen(js_name = getTree, unchecked_return_type = "Promise<AccessibilityTreeResponse>")]
    pub fn get_tree(&self, #[wasm_bindgen(unchecked_optional_param_type = "AccessibilityTreeOptions")] options: JsValue) -> Promise {
        call(self.inner.accessibility_tree(&query(&options, "scope,pid,maxDepth")))
    }

    #[wasm_bindgen(js_name = findNodes, unchecked_return_type = "Promise<AccessibilityNodesResponse>")]
    pub fn find_nodes(&self, #[wasm_bindgen(unchecked_optional_param_type = "AccessibilityFindOptions")] options: JsValue) -> Promise {
        let options = if options.is_object() { options } else { js_sys::Object::new().into() };
        try_call(json_body(&options).map(|body| self.inner.accessibility_find(body)))
    }

    #[wasm_bindgen(js_name = focusNode, unchecked_return_type = "Promise<void>")]
    pub fn focus_node(&self, id: String) -> Promise {
        call(self.inner.accessibility_node("focus", id, None, None))
    }

    /// Invokes `action` of the node (its first action by default).
    #[wasm_bindgen(js_name = invokeNode, unchecked_return_type = "Promise<void>")]
    pub fn invoke_node(&self, id: String, action: Option<String>) -> Promise {
        call(self.inner.accessibility_node("invoke", id, action, None))
    }

    /// Sets the node's text (an entry) or value (a slider, a spin button).
    #[wasm_bindgen(js_name = setNodeValue, unchecked_return_type = "Promise<void>")]
    pub fn set_node_value(&self, id: String, value: Option<String>) -> Promise {
        call(self.inner.accessibility_node("value", id, None, value))
    }
}
