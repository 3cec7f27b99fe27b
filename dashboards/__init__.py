"""The leadership dashboard (领导驾驶舱): a Streamlit app over the warehouse's marts."""
