/** Step 1: partner cards from the catalog (title, what it rotates, docs link). */
import { Box, Cards, Container, FormField, Header, Link, SpaceBetween } from '@cloudscape-design/components';
import type { PartnerInfo } from '../api.ts';

export function PartnerStep({
  partners,
  selected,
  error,
  onSelect,
}: {
  partners: PartnerInfo[];
  selected: PartnerInfo | undefined;
  error: string | undefined;
  onSelect(partner: PartnerInfo): void;
}) {
  return (
    <Container
      header={
        <Header description="Rotor rotates this partner's credential at the source first.">Partner</Header>
      }
    >
      <FormField label="Partner" errorText={error} stretch i18nStrings={{ errorIconAriaLabel: 'Error' }}>
        <Cards
          items={partners}
          trackBy="type"
          selectionType="single"
          selectedItems={selected ? [selected] : []}
          onSelectionChange={(event) => {
            const [partner] = event.detail.selectedItems;
            if (partner) onSelect(partner);
          }}
          ariaLabels={{
            selectionGroupLabel: 'Partners',
            itemSelectionLabel: (_selection, item) => `Select ${item.title}`,
          }}
          cardDefinition={{
            header: (item) => item.title,
            sections: [
              { id: 'description', content: (item) => item.description },
              {
                id: 'type',
                header: 'Secret type',
                content: (item) => (
                  <Box variant="code" fontSize="body-s">
                    {item.type}
                  </Box>
                ),
              },
              {
                id: 'docs',
                content: (item) => (
                  <SpaceBetween size="xs" direction="horizontal">
                    <Link external href={item.docsUrl} ariaLabel={`Documentation for ${item.title}`}>
                      Documentation
                    </Link>
                    <Box color="text-body-secondary" fontSize="body-s">
                      plugin {item.version}
                    </Box>
                  </SpaceBetween>
                ),
              },
            ],
          }}
          cardsPerRow={[{ cards: 1 }, { minWidth: 600, cards: 2 }]}
          empty="No partners in the catalog"
        />
      </FormField>
    </Container>
  );
}
