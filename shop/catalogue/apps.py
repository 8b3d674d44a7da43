import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "shop.catalogue"

    def ready(self) -> None:
        super().ready()
        from PIL import Image

        from shop.catalogue.thumbnails import thumbnails_receivers_connect
        from shop.catalogue.uploads import image_pixels_limit

        # Pillow refuses to open images far beyond what staff may upload (decompression bombs).
        Image.MAX_IMAGE_PIXELS = image_pixels_limit()
        thumbnails_receivers_connect()
