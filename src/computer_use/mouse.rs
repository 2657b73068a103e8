use daytona_core::computer_use::ComputerUseClient;
use daytona_types::toolbox::computer_use::MousePosition;
use wasm_bindgen::prelude::*;

use crate::convert::to_js;
use crate::errors::JsResult;

/// The desktop's mouse (`computerUse.mouse`). Coordinates are screen pixels.
#[wasm_bindgen]
pub struct Mouse {
    inner: ComputerUseClient,
}

impl From<ComputerUseClient> for Mouse {
    fn from(inner: ComputerUseClient) -> Self {
        Mouse { inner }
    }
}

#[wasm_bindgen]
impl Mouse {
    #[wasm_bindgen(js_name = getPosition, unchecked_return_type = "MousePosition")]
    pub async fn get_position(&self) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.mouse_position().await?))
    }

    /// Moves the pointer; resolves to where it is.
    #[wasm_bindgen(js_name = move, unchecked_return_type = "MousePosition")]
    pub async fn move_to(&self, x: i32, y: i32) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.mouse_move(x, y).await?))
    }

    /// Clicks at a point: `button` `left` (default), `middle` or `right`; `double` for a double click.
    #[wasm_bindgen(unchecked_return_type = "MousePosition")]
    pub async fn click(&self, x: i32, y: i32, button: Option<String>, double: Option<bool>) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.click(x, y, button, double).await?))
    }

    /// Presses at the start, moves, releases at the end.
    #[wasm_bindgen(unchecked_return_type = "MousePosition")]
    pub async fn drag(
        &self,
        #[wasm_bindgen(js_name = startX)] start_x: i32,
        #[wasm_bindgen(js_name = startY)] start_y: i32,
        #[wasm_bindgen(js_name = endX)] end_x: i32,
        #[wasm_bindgen(js_name = endY)] end_y: i32,
        button: Option<String>,
    ) -> JsResult<JsValue> {
        Ok(to_js(&self.inner.drag(MousePosition { x: start_x, y: start_y }, MousePosition { x: end_x, y: end_y }, button).await?))
    }

    /// Turns the wheel `amount` steps (default 1) `up` or `down` at a point.
    pub async fn scroll(
        &self,
        x: i32,
        y: i32,
        #[wasm_bindgen(unchecked_param_type = "'up' | 'down'")] direction: String,
        amount: Option<u32>,
    ) -> JsResult<bool> {
        Ok(self.inner.scroll(x, y, &direction, amount).await?)
    }
}
