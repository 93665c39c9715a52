//! Execution of the ss persona: wires `SsArgs` and the selection plan into dump and rendering.
