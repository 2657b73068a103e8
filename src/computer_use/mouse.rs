use daytona_core::computer_use::ComputerUseClient;
use daytona_types::toolbox::computer_use::MousePosition;
use js_sys::Promise;
use wasm_bindgen::prelude::*;

use crate::promise::call;

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
    #[wasm_bindgen(js_name = getPosition, unchecked_return_type = "Promise<MousePosition>")]
    pub fn get_position(&self) -> Promise {
        call(self.inner.mouse_position())
    }

    /// Moves the pointer; resolves to where it is.
    #[wasm_bindgen(js_name = move, unchecked_return_type = "Promise<MousePosition>")]
    pub fn move_to(&self, x: i32, y: i32) -> Promise {
        call(self.inner.mouse_move(x, y))
    }

    /// Clicks at a point: `button` `left` (default), `middle` or `right`; `double` for a double click.
    #[wasm_bindgen(unchecked_return_type = "Promise<MousePosition>")]
    pub fn click(&self, x: i32, y: i32, button: Option<String>, double: Option<bool>) -> Promise {
        call(self.inner.click(x, y, button, double))
    }

    /// Presses at the start, moves, releases at the end.
    #[wasm_bindgen(unchecked_return_type = "Promise<MousePosition>")]
    pub fn drag(
        &self,
        #[wasm_bindgen(js_name = startX)] start_x: i32,
        #[wasm_bindgen(js_name = startY)] start_y: i32,
        #[wasm_bindgen(js_name = endX)] end_x: i32,
        #[wasm_bindgen(js_name = endY)] end_y: i32,
        button: Option<String>,
    ) -> Promise {
        call(self.inner.drag(MousePosition { x: start_x, y: start_y }, MousePosition { x: end_x, y: end_y }, button))
    }

    /// Turns the wheel `amount` steps (default 1) `up` or `down` at a point.
    #[wasm_bindgen(unchecked_return_type = "Promise<boolean>")]
    pub fn scroll(&self, x: i32, y: i32, #[wasm_bindgen(unchecked_param_type = "'up' | 'down'")] direction: String, amount: Option<u32>) -> Promise {
        call(self.inner.scroll(x, y, &direction, amount))
    }
}
