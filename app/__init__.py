"""The planners' Streamlit app: `minsheng app` or `streamlit run app/main.py`. Imports the model; never the reverse."""
