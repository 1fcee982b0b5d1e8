"""gaoxin (高新): traceable data and reports for a 2019 article on the Hengyang High-tech Zone."""

__version__ = "0.1.0"
